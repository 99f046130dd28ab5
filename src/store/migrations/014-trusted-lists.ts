/**
 * Trusted-list subscriptions (sigil trust list-add): where a tenant takes anchors for some
 * credential types from (a URL, or a document the operator gave), the certificates allowed to sign
 * it, the service type and credential-type scopes; and the last verified result: the anchors it
 * yielded, usable until next_update and never after (trust then fails closed until a refresh works).
 */
export const trustedListsSchema = `
CREATE TABLE trusted_lists (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT,
  document TEXT,
  signer_pems TEXT NOT NULL,
  service_type TEXT NOT NULL,
  scopes_json TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  anchors_json TEXT,
  issued_at INTEGER,
  next_update INTEGER,
  refreshed_at INTEGER,
  attempted_at INTEGER,
  last_error TEXT,
  PRIMARY KEY (tenant, id)
) STRICT, WITHOUT ROWID;
`;
