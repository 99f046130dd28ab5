/** PostgreSQL's form of ../../migrations/004-passkeys.ts. */
export const passkeySchema = `
CREATE TABLE passkeys (
  tenant TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter BIGINT NOT NULL,
  transports_json TEXT NOT NULL DEFAULT '[]',
  backup_eligible BOOLEAN NOT NULL,
  backed_up BOOLEAN NOT NULL,
  aaguid TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  PRIMARY KEY (tenant, credential_id)
);
CREATE INDEX passkeys_by_user ON passkeys (tenant, sub);

CREATE TABLE webauthn_challenges (
  tenant TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('signin', 'register')),
  challenge TEXT NOT NULL,
  sub TEXT,
  return_to TEXT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, id_hash)
);

CREATE FUNCTION passkeys_follow_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM passkeys WHERE tenant = OLD.tenant AND sub = OLD.sub;
  RETURN NULL;
END $$;
CREATE TRIGGER passkeys_follow_user AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION passkeys_follow_user();
`;
