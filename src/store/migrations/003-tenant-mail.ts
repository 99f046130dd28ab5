/** Per-tenant mail: a tenant's own SMTP server (its URL sealed by keys/, since it may carry a password) and whether email methods are offered. */
export const tenantMailSchema = `
ALTER TABLE tenants ADD COLUMN sealed_smtp_url TEXT;
ALTER TABLE tenants ADD COLUMN smtp_from TEXT;
ALTER TABLE tenants ADD COLUMN email_methods TEXT NOT NULL DEFAULT 'auto' CHECK (email_methods IN ('auto', 'off'));
`;
