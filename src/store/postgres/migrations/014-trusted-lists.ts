/** PostgreSQL's form of ../../migrations/014-trusted-lists.ts: trusted-list subscriptions and their last verified anchors. */
export const trustedListsSchema = `
CREATE TABLE trusted_lists (
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT,
  document TEXT,
  signer_pems TEXT NOT NULL,
  service_type TEXT NOT NULL,
  scopes_json TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  anchors_json TEXT,
  issued_at BIGINT,
  next_update BIGINT,
  refreshed_at BIGINT,
  attempted_at BIGINT,
  last_error TEXT,
  PRIMARY KEY (tenant, id)
);
`;
