/** PostgreSQL's form of ../../migrations/009-client-grants.ts. */
export const clientGrantsSchema = `
ALTER TABLE clients ADD COLUMN grant_types TEXT NOT NULL DEFAULT 'authorization_code refresh_token';
ALTER TABLE clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
`;
