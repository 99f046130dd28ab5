/** PostgreSQL's form of ../../migrations/006-sign-in-hardening.ts. */
export const signInHardeningSchema = `
CREATE TABLE throttles (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_failure_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, key)
);

ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

ALTER TABLE pending_logins ADD COLUMN first_factor TEXT NOT NULL DEFAULT 'pwd' CHECK (first_factor IN ('pwd', 'email'));
ALTER TABLE pending_logins ADD COLUMN device_key TEXT;

ALTER TABLE tenants ADD COLUMN origin TEXT;

CREATE INDEX wallet_transactions_live ON wallet_transactions (tenant, expires_at);
CREATE INDEX webauthn_challenges_live ON webauthn_challenges (tenant, expires_at);
`;
