/** PostgreSQL's form of ../../migrations/002-second-factor.ts. */
export const secondFactorSchema = `
CREATE TABLE totp_enrolments (
  tenant TEXT NOT NULL,
  sub TEXT NOT NULL,
  sealed_secret TEXT,
  pending_sealed_secret TEXT,
  pending_expires_at BIGINT,
  last_time_step BIGINT NOT NULL DEFAULT 0,
  enrolled_at BIGINT,
  PRIMARY KEY (tenant, sub)
);

CREATE TABLE recovery_codes (
  tenant TEXT NOT NULL,
  sub TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (tenant, sub, code_hash)
);

CREATE TABLE pending_logins (
  tenant TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  sub TEXT NOT NULL,
  return_to TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  email_code_hash TEXT,
  email_code_expires_at BIGINT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, id_hash)
);

CREATE FUNCTION second_factor_follows_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM totp_enrolments WHERE tenant = OLD.tenant AND sub = OLD.sub;
  DELETE FROM recovery_codes WHERE tenant = OLD.tenant AND sub = OLD.sub;
  DELETE FROM pending_logins WHERE tenant = OLD.tenant AND sub = OLD.sub;
  RETURN NULL;
END $$;
CREATE TRIGGER second_factor_follows_user AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION second_factor_follows_user();
`;
