/**
 * PostgreSQL's form of ../../migrations/008-secrets-at-rest.ts: the same refusal of a user secret
 * written in the clear. SQLite needs triggers for it; here a CHECK constraint says it, NOT VALID so
 * that, like the triggers, it judges only what is written from now on.
 */
export const secretsAtRestSchema = `
ALTER TABLE users ADD CONSTRAINT users_ha1_sealed CHECK (left(ha1, 3) = 'v1.' OR ha1 = 'none') NOT VALID;
ALTER TABLE recovery_codes ADD CONSTRAINT recovery_codes_keyed CHECK (left(code_hash, 3) = 'v1.') NOT VALID;
`;
