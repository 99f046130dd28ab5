/**
 * What the admin API edits that the store did not hold: whether a user's address was verified
 * (an admin may vouch for it; it is released as `email_verified`), and a tenant's display name
 * (shown to people instead of the host name). Existing users' addresses stay unverified, as
 * Sigil has always said of them.
 */
export const adminSchema = `
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN display_name TEXT;
`;
