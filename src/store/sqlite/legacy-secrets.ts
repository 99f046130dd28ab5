import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { LegacySecrets, SecretConversion } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";

/**
 * How the users table says "no password". Not an HA1 and not sealed: nothing opens it, so
 * a leaked or edited database cannot turn it into a credential. (Older Sigils stored the
 * all-zeros HA1 here, which start-up converts like every other plaintext HA1.)
 */
export const NO_PASSWORD = "none";
/** Everything keys/ seals or MACs for the users' secrets starts so; anything else in those columns is from an older Sigil. */
export const isConverted = (stored: string) => stored.startsWith("v1.");

/** The two halves of UserRepo that convert what an older Sigil stored in the clear. */
export function sqliteLegacySecrets(db: Database) {
  const plainHa1s = db.query<{ tenant: string; sub: string; ha1: string }, []>(
    `SELECT tenant, sub, ha1 FROM users WHERE substr(ha1, 1, 3) <> 'v1.' AND ha1 <> '${NO_PASSWORD}'`,
  );
  const plainCodes = db.query<{ tenant: string; sub: string; code_hash: string }, []>(
    "SELECT tenant, sub, code_hash FROM recovery_codes WHERE substr(code_hash, 1, 3) <> 'v1.'",
  );
  const setHa1 = db.query("UPDATE users SET ha1 = $to WHERE tenant = $tenant AND sub = $sub AND ha1 = $from");
  const dropCode = db.query("DELETE FROM recovery_codes WHERE tenant = $tenant AND sub = $sub AND code_hash = $from");
  const addCode = db.query("INSERT OR IGNORE INTO recovery_codes (tenant, sub, code_hash) VALUES ($tenant, $sub, $to)");

  return {
    async legacySecrets(): Promise<LegacySecrets> {
      return {
        ha1s: plainHa1s.all(),
        recoveryCodes: plainCodes.all().map((row) => ({ tenant: row.tenant, sub: row.sub, digest: row.code_hash })),
      };
    },
    async convertLegacySecrets(conversion: SecretConversion): Promise<number> {
      const secureDelete = (db.query("PRAGMA secure_delete").get() as { secure_delete: number }).secure_delete;
      // Overwrite, not just unlink, the cells that held the old values, so the file itself (a backup) keeps no copy.
      db.exec("PRAGMA secure_delete = ON");
      try {
        const changed = writeTransaction(db, () => {
          let n = 0;
          for (const { tenant, sub, from, sealedHa1 } of conversion.ha1s) n += setHa1.run({ tenant, sub, from, to: sealedHa1 ?? NO_PASSWORD }).changes;
          for (const { tenant, sub, from, mac } of conversion.recoveryCodes) {
            // Only a code still unspent comes back, as its MAC.
            if (dropCode.run({ tenant, sub, from }).changes === 1) n += addCode.run({ tenant, sub, to: mac }).changes;
          }
          return n;
        });
        // Copy the new pages over the old ones in the main file now and empty the log.
        if (changed > 0) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        return changed;
      } finally {
        db.exec(`PRAGMA secure_delete = ${secureDelete ? "ON" : "OFF"}`);
      }
    },
  };
}
