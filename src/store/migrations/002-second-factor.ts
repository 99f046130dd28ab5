/** TOTP enrolments, their recovery codes, and the pending logins that wait for a second factor. */
export const secondFactorSchema = `
CREATE TABLE totp_enrolments (
  tenant TEXT NOT NULL,
  sub TEXT NOT NULL,
  -- The confirmed secret (sealed by keys/), or NULL while only an enrolment is pending.
  sealed_secret TEXT,
  -- A secret shown to the user that becomes active after one correct code.
  pending_sealed_secret TEXT,
  pending_expires_at INTEGER,
  -- The RFC 6238 time step of the last accepted code: that code and older ones never work again.
  last_time_step INTEGER NOT NULL DEFAULT 0,
  enrolled_at INTEGER,
  PRIMARY KEY (tenant, sub)
) STRICT, WITHOUT ROWID;

CREATE TABLE recovery_codes (
  tenant TEXT NOT NULL,
  sub TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (tenant, sub, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE pending_logins (
  tenant TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  sub TEXT NOT NULL,
  return_to TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  email_code_hash TEXT,
  email_code_expires_at INTEGER,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, id_hash)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER second_factor_follows_user AFTER DELETE ON users BEGIN
  DELETE FROM totp_enrolments WHERE tenant = old.tenant AND sub = old.sub;
  DELETE FROM recovery_codes WHERE tenant = old.tenant AND sub = old.sub;
  DELETE FROM pending_logins WHERE tenant = old.tenant AND sub = old.sub;
END;
`;
