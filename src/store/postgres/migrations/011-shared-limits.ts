/** PostgreSQL's form of ../../migrations/011-shared-limits.ts. */
export const sharedLimitsSchema = `
CREATE TABLE attempts (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  at BIGINT NOT NULL,
  n INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, key, at)
);
CREATE INDEX attempts_expiry ON attempts (expires_at);
`;
