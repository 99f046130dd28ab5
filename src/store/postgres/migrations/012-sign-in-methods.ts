/** PostgreSQL's form of ../../migrations/012-sign-in-methods.ts. */
export const signInMethodsSchema = `
ALTER TABLE tenants ADD COLUMN disabled_methods TEXT NOT NULL DEFAULT '';
`;
