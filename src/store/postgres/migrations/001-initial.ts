/**
 * PostgreSQL's form of ../../migrations/001-initial.ts (times are BIGINT seconds, flags BOOLEAN),
 * plus what SQLite's PRAGMA data_version gives for free: a notice on channel `sigil_change` whenever
 * a table that nodes cache (tenants, clients, signing keys) changes, so that every node drops its copy.
 */
export const initialSchema = `
CREATE TABLE tenants (
  host TEXT PRIMARY KEY,
  realm TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  sub TEXT NOT NULL,
  username TEXT NOT NULL,
  ha1 TEXT NOT NULL,
  role TEXT NOT NULL,
  email TEXT,
  name TEXT,
  groups_json TEXT NOT NULL DEFAULT '[]',
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, username),
  UNIQUE (tenant, sub)
);

CREATE TABLE clients (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  secret_hash TEXT,
  redirect_uris_json TEXT NOT NULL,
  post_logout_redirect_uris_json TEXT NOT NULL DEFAULT '[]',
  refresh_token_ttl BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, client_id)
);

CREATE TABLE signing_keys (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'previous', 'retired')),
  public_jwk TEXT NOT NULL,
  sealed_private_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  -- SQLite orders keys made in the same second by rowid; this is that order.
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant, kid)
);
CREATE UNIQUE INDEX one_active_key ON signing_keys (tenant) WHERE status = 'active';

CREATE TABLE grants (
  tenant TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  claims_json TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  PRIMARY KEY (tenant, grant_id)
);
CREATE INDEX grants_by_sub ON grants (tenant, sub);

CREATE TABLE authorization_codes (
  tenant TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT,
  nonce TEXT,
  context_json TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (tenant, code_hash)
);

CREATE TABLE refresh_tokens (
  tenant TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  context_json TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (tenant, token_hash)
);
CREATE INDEX refresh_by_grant ON refresh_tokens (tenant, grant_id);

CREATE TABLE revoked_access_tokens (
  tenant TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, jti)
);

CREATE TABLE used_jtis (
  tenant TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, jti)
);

CREATE TABLE setup_tokens (
  tenant TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE FUNCTION sigil_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sigil_change', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER tenants_changed AFTER INSERT OR UPDATE OR DELETE ON tenants FOR EACH STATEMENT EXECUTE FUNCTION sigil_notify_change();
CREATE TRIGGER clients_changed AFTER INSERT OR UPDATE OR DELETE ON clients FOR EACH STATEMENT EXECUTE FUNCTION sigil_notify_change();
CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys FOR EACH STATEMENT EXECUTE FUNCTION sigil_notify_change();
`;
