/** PostgreSQL's form of ../../migrations/003-tenant-mail.ts. */
export const tenantMailSchema = `
ALTER TABLE tenants ADD COLUMN sealed_smtp_url TEXT;
ALTER TABLE tenants ADD COLUMN smtp_from TEXT;
ALTER TABLE tenants ADD COLUMN email_methods TEXT NOT NULL DEFAULT 'auto' CHECK (email_methods IN ('auto', 'off'));
`;
