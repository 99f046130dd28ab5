/**
 * Secrets at rest: HA1 sealed under the master key, recovery codes as keyed MACs. SQL cannot
 * convert the existing rows (that needs the master key: keys/convert-legacy-secrets.ts does it at
 * start); what it can do is refuse, from now on, any write that would put one back in the clear.
 */
export const secretsAtRestSchema = `
CREATE TRIGGER users_ha1_sealed_on_insert BEFORE INSERT ON users
WHEN substr(NEW.ha1, 1, 3) <> 'v1.' AND NEW.ha1 <> 'none'
BEGIN SELECT RAISE(ABORT, 'an HA1 is stored sealed'); END;

CREATE TRIGGER users_ha1_sealed_on_update BEFORE UPDATE OF ha1 ON users
WHEN substr(NEW.ha1, 1, 3) <> 'v1.' AND NEW.ha1 <> 'none'
BEGIN SELECT RAISE(ABORT, 'an HA1 is stored sealed'); END;

CREATE TRIGGER recovery_codes_keyed_on_insert BEFORE INSERT ON recovery_codes
WHEN substr(NEW.code_hash, 1, 3) <> 'v1.'
BEGIN SELECT RAISE(ABORT, 'a recovery code is stored as a keyed MAC'); END;

CREATE TRIGGER recovery_codes_keyed_on_update BEFORE UPDATE OF code_hash ON recovery_codes
WHEN substr(NEW.code_hash, 1, 3) <> 'v1.'
BEGIN SELECT RAISE(ABORT, 'a recovery code is stored as a keyed MAC'); END;
`;
