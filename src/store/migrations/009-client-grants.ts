/**
 * What each client may ask for: its grant types (a machine client may have only client_credentials,
 * and then no redirect URI) and the scopes it may receive without a user (client_credentials).
 * Existing clients keep exactly what they could do before.
 */
export const clientGrantsSchema = `
ALTER TABLE clients ADD COLUMN grant_types TEXT NOT NULL DEFAULT 'authorization_code refresh_token';
ALTER TABLE clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
`;
