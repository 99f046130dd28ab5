/** The first schema: tenants, users, clients, signing keys, single-use codes, grants, refresh tokens, JTIs. */
export const initialSchema = `
CREATE TABLE tenants (
  host TEXT PRIMARY KEY,
  realm TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  sub TEXT NOT NULL,
  username TEXT NOT NULL,
  ha1 TEXT NOT NULL,
  role TEXT NOT NULL,
  email TEXT,
  name TEXT,
  groups_json TEXT NOT NULL DEFAULT '[]',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, username),
  UNIQUE (tenant, sub)
) STRICT;

CREATE TABLE clients (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  secret_hash TEXT,
  redirect_uris_json TEXT NOT NULL,
  post_logout_redirect_uris_json TEXT NOT NULL DEFAULT '[]',
  refresh_token_ttl INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, client_id)
) STRICT;

CREATE TABLE signing_keys (
  tenant TEXT NOT NULL REFERENCES tenants(host) ON DELETE CASCADE,
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'previous', 'retired')),
  public_jwk TEXT NOT NULL,
  sealed_private_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, kid)
) STRICT;
CREATE UNIQUE INDEX one_active_key ON signing_keys (tenant) WHERE status = 'active';

CREATE TABLE grants (
  tenant TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  claims_json TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (tenant, grant_id)
) STRICT, WITHOUT ROWID;
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
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE refresh_tokens (
  tenant TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  context_json TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, token_hash)
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_by_grant ON refresh_tokens (tenant, grant_id);

CREATE TABLE revoked_access_tokens (
  tenant TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, jti)
) STRICT, WITHOUT ROWID;

CREATE TABLE used_jtis (
  tenant TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, jti)
) STRICT, WITHOUT ROWID;

CREATE TABLE setup_tokens (
  tenant TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
`;
