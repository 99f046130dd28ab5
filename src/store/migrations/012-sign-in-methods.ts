/**
 * Which sign-in methods a tenant turned off (space-separated: password, passkey, eu-wallet).
 * Empty: all offered, as before. Email methods keep their own switch (tenants.email_methods).
 */
export const signInMethodsSchema = `
ALTER TABLE tenants ADD COLUMN disabled_methods TEXT NOT NULL DEFAULT '';
`;
