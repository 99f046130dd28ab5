/** PostgreSQL's form of ../../migrations/005-wallet.ts. */
export const walletSchema = `
CREATE TABLE verifiers (
  tenant TEXT PRIMARY KEY,
  wallet_signup BOOLEAN NOT NULL DEFAULT true,
  certificate_chain_pem TEXT,
  sealed_private_key TEXT,
  identity_source TEXT CHECK (identity_source IN ('development', 'operator')),
  client_id_prefix TEXT NOT NULL DEFAULT 'x509_hash' CHECK (client_id_prefix IN ('x509_hash', 'x509_san_dns')),
  wallet_scheme TEXT NOT NULL DEFAULT 'openid4vp',
  dcql_query_json TEXT
);

CREATE TABLE client_dcql_queries (
  tenant TEXT NOT NULL,
  client_id TEXT NOT NULL,
  dcql_query_json TEXT NOT NULL,
  PRIMARY KEY (tenant, client_id)
);

CREATE TABLE trust_anchors (
  tenant TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pem TEXT NOT NULL,
  subject TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, fingerprint)
);

CREATE TABLE wallet_transactions (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('signin', 'api', 'link')),
  client_id TEXT,
  sub TEXT,
  return_to TEXT,
  page_secret_hash TEXT,
  transaction_json TEXT NOT NULL,
  sealed_response_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'retrieved', 'verifying', 'verified', 'failed', 'completed')),
  result_json TEXT,
  error TEXT,
  response_code_hash TEXT,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, id)
);

CREATE TABLE wallet_links (
  tenant TEXT NOT NULL,
  link_key TEXT NOT NULL,
  sub TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, link_key)
);

CREATE FUNCTION wallet_links_follow_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM wallet_links WHERE tenant = OLD.tenant AND sub = OLD.sub;
  RETURN NULL;
END $$;
CREATE TRIGGER wallet_links_follow_user AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION wallet_links_follow_user();
`;
