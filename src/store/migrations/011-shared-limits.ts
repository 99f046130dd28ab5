/**
 * Rate limits kept in the store, so that every process on one store counts the same attempts:
 * failed sign-ins per client IP, mail requests per IP and per address, unauthenticated starts.
 * One row per limit, key and second, with how many attempts that second saw.
 */
export const sharedLimitsSchema = `
CREATE TABLE attempts (
  -- Which limit: 'login-failure', 'mail-ip', 'mail-subject', 'start-ip', 'start-tenant'.
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  at INTEGER NOT NULL,
  n INTEGER NOT NULL,
  -- The attempts leave the limit's window at this time, and are swept after it.
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key, at)
) STRICT, WITHOUT ROWID;
CREATE INDEX attempts_expiry ON attempts (expires_at);
`;
