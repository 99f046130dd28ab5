/** Wallet transactions: which flow (same-device or cross-device) a transaction uses, and the device confirmation of a link. */
export const walletRelaySchema = `
-- same_device: the sign-in completes only with the response_code the wallet's redirect handed to
-- the browser (OpenID4VP §14.2); cross_device: by the page that holds the secret (the QR code).
ALTER TABLE wallet_transactions ADD COLUMN flow TEXT NOT NULL DEFAULT 'cross_device' CHECK (flow IN ('same_device', 'cross_device'));
-- link: 1 once the person confirmed it on the device the wallet returned to; a decline fails the transaction.
ALTER TABLE wallet_transactions ADD COLUMN device_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (device_confirmed IN (0, 1));
-- failed: the check that failed (e.g. subject_identifier, link_declined), so the page can say what to do.
ALTER TABLE wallet_transactions ADD COLUMN failed_check TEXT;
`;
