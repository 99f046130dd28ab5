/** WebAuthn credentials (passkeys) per tenant and user, and the single-use challenges of their ceremonies. */
export const passkeySchema = `
CREATE TABLE passkeys (
  tenant TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports_json TEXT NOT NULL DEFAULT '[]',
  backup_eligible INTEGER NOT NULL,
  backed_up INTEGER NOT NULL,
  aaguid TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  PRIMARY KEY (tenant, credential_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX passkeys_by_user ON passkeys (tenant, sub);

CREATE TABLE webauthn_challenges (
  tenant TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('signin', 'register')),
  challenge TEXT NOT NULL,
  -- register: the signed-in user; signin: NULL (the credential names the user).
  sub TEXT,
  -- signin: the authorization request the ceremony completes.
  return_to TEXT,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, id_hash)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER passkeys_follow_user AFTER DELETE ON users BEGIN
  DELETE FROM passkeys WHERE tenant = old.tenant AND sub = old.sub;
END;
`;
