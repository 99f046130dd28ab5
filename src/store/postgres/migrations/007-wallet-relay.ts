/** PostgreSQL's form of ../../migrations/007-wallet-relay.ts. */
export const walletRelaySchema = `
ALTER TABLE wallet_transactions ADD COLUMN flow TEXT NOT NULL DEFAULT 'cross_device' CHECK (flow IN ('same_device', 'cross_device'));
ALTER TABLE wallet_transactions ADD COLUMN device_confirmed BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE wallet_transactions ADD COLUMN failed_check TEXT;
`;
