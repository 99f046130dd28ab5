/**
 * Sign-in hardening: failure throttles kept in the store (so they survive a restart and count
 * across nodes), a per-user session epoch that ends single sign-on, what a pending login's first
 * factor was and whether it came from a device the account has signed in on, and each tenant's
 * canonical origin for mailed links.
 */
export const signInHardeningSchema = `
CREATE TABLE throttles (
  tenant TEXT NOT NULL,
  -- What is throttled: an account's second factor, a username's passwords, one known device of an account, ...
  key TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  -- The count is forgotten after this time without a new failure.
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant, key)
) STRICT, WITHOUT ROWID;

-- Single sign-on assertions carry the epoch they were issued in; raising it ends them all.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- 'pwd' or 'email': what the user proved before the second factor was asked for.
ALTER TABLE pending_logins ADD COLUMN first_factor TEXT NOT NULL DEFAULT 'pwd' CHECK (first_factor IN ('pwd', 'email'));
-- The known device the first step came from (its throttle key), or NULL for a device the account has not used.
ALTER TABLE pending_logins ADD COLUMN device_key TEXT;

-- The origin mailed links point at (https://login.acme.example); NULL: derived from the host name.
ALTER TABLE tenants ADD COLUMN origin TEXT;

CREATE INDEX wallet_transactions_live ON wallet_transactions (tenant, expires_at);
CREATE INDEX webauthn_challenges_live ON webauthn_challenges (tenant, expires_at);
`;
