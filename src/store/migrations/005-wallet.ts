/** The EU Wallet verifier: per-tenant identity and policy, trust anchors, presentation transactions, and wallet-to-account links. */
export const walletSchema = `
CREATE TABLE verifiers (
  tenant TEXT PRIMARY KEY,
  -- May a wallet nobody linked yet create an account (sign-up)?
  wallet_signup INTEGER NOT NULL DEFAULT 1,
  -- NULL until first need (a development certificate is made then) or until an operator installs one.
  certificate_chain_pem TEXT,
  sealed_private_key TEXT,
  identity_source TEXT CHECK (identity_source IN ('development', 'operator')),
  client_id_prefix TEXT NOT NULL DEFAULT 'x509_hash' CHECK (client_id_prefix IN ('x509_hash', 'x509_san_dns')),
  wallet_scheme TEXT NOT NULL DEFAULT 'openid4vp',
  dcql_query_json TEXT
) STRICT;

-- A relying party's own DCQL query for wallet sign-ins, over the tenant's default.
CREATE TABLE client_dcql_queries (
  tenant TEXT NOT NULL,
  client_id TEXT NOT NULL,
  dcql_query_json TEXT NOT NULL,
  PRIMARY KEY (tenant, client_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE trust_anchors (
  tenant TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pem TEXT NOT NULL,
  subject TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, fingerprint)
) STRICT, WITHOUT ROWID;

CREATE TABLE wallet_transactions (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('signin', 'api', 'link')),
  -- api: the relying party that asked; otherwise NULL.
  client_id TEXT,
  -- link: the signed-in user the wallet is to be linked to; otherwise NULL.
  sub TEXT,
  -- signin: the authorization request it completes; api: the client's redirect_uri for the same-device flow, if any.
  -- signin and link: the digest of the page's secret.
  return_to TEXT,
  page_secret_hash TEXT,
  transaction_json TEXT NOT NULL,
  sealed_response_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'retrieved', 'verifying', 'verified', 'failed', 'completed')),
  result_json TEXT,
  error TEXT,
  -- same-device flow: digest of the response_code the wallet's redirect_uri carries (OpenID4VP §8.2).
  response_code_hash TEXT,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE wallet_links (
  tenant TEXT NOT NULL,
  link_key TEXT NOT NULL,
  sub TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, link_key)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER wallet_links_follow_user AFTER DELETE ON users BEGIN
  DELETE FROM wallet_links WHERE tenant = old.tenant AND sub = old.sub;
END;
`;
