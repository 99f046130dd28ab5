/** PostgreSQL's form of ../../migrations/010-admin.ts. */
export const adminSchema = `
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE tenants ADD COLUMN display_name TEXT;
`;
