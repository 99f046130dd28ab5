import type { LegacySecrets, SecretConversion } from "../ports.ts";
import type { Sql } from "./connect.ts";

/** How the users table says "no password" (as ../sqlite/legacy-secrets.ts): nothing opens it. */
export const NO_PASSWORD = "none";
/** Everything keys/ seals or MACs for the users' secrets starts so. */
export const isConverted = (stored: string) => stored.startsWith("v1.");

/**
 * The two halves of UserRepo that convert what an older Sigil stored in the clear. A PostgreSQL
 * store is only ever made by a Sigil that seals, so these find nothing there; they are kept so the
 * ports behave alike. (SQLite also overwrites the freed pages; PostgreSQL leaves that to VACUUM.)
 */
export function postgresLegacySecrets(sql: Sql) {
  return {
    async legacySecrets(): Promise<LegacySecrets> {
      const ha1s = await sql<{ tenant: string; sub: string; ha1: string }[]>`SELECT tenant, sub, ha1 FROM users WHERE left(ha1, 3) <> 'v1.' AND ha1 <> 'none'`;
      const codes = await sql<{ tenant: string; sub: string; code_hash: string }[]>`SELECT tenant, sub, code_hash FROM recovery_codes WHERE left(code_hash, 3) <> 'v1.'`;
      return {
        ha1s: ha1s.map((row) => ({ tenant: row.tenant, sub: row.sub, ha1: row.ha1 })),
        recoveryCodes: codes.map((row) => ({ tenant: row.tenant, sub: row.sub, digest: row.code_hash })),
      };
    },
    async convertLegacySecrets(conversion: SecretConversion): Promise<number> {
      if (conversion.ha1s.length === 0 && conversion.recoveryCodes.length === 0) return 0;
      return sql.begin(async (tx) => {
        let n = 0;
        for (const { tenant, sub, from, sealedHa1 } of conversion.ha1s) {
          n += (await tx`UPDATE users SET ha1 = ${sealedHa1 ?? "none"} WHERE tenant = ${tenant} AND sub = ${sub} AND ha1 = ${from}`).count;
        }
        for (const { tenant, sub, from, mac } of conversion.recoveryCodes) {
          // Only a code still unspent comes back, as its MAC.
          if ((await tx`DELETE FROM recovery_codes WHERE tenant = ${tenant} AND sub = ${sub} AND code_hash = ${from}`).count === 1) {
            n += (await tx`INSERT INTO recovery_codes (tenant, sub, code_hash) VALUES (${tenant}, ${sub}, ${mac}) ON CONFLICT DO NOTHING`).count;
          }
        }
        return n;
      });
    },
  };
}
