import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Store } from "../ports.ts";
import { sqliteAttempts } from "./attempts.ts";
import { sqliteClients } from "./clients.ts";
import { sqliteCodes } from "./codes.ts";
import { sqliteGrants } from "./grants.ts";
import type { SqliteDriver } from "../../runtime/sqlite.ts";
import { openDatabase, writeTransaction } from "./open-database.ts";
import { sqlitePasskeys, sqliteWebAuthnChallenges } from "./passkeys.ts";
import { sqlitePendingLogins } from "./pending-logins.ts";
import { sqliteReadiness } from "./readiness.ts";
import { sqliteSecondFactors } from "./second-factors.ts";
import { sqliteSigningKeys } from "./signing-keys.ts";
import { sqliteJti, sqliteSetupTokens } from "./single-use.ts";
import { sqliteTenants } from "./tenants.ts";
import { sqliteThrottles } from "./throttles.ts";
import { sqliteUsers } from "./users.ts";
import { sqliteVerifiers, sqliteWalletLinks, sqliteWalletTransactions } from "./wallet.ts";
import { sqliteTrustedLists } from "./trusted-lists.ts";

/** The embedded store: one SQLite file, `sigil.db`, in the data directory (the runtime's default driver unless `driver` names one). */
export function openSqliteStore(dataDir: string, driver?: SqliteDriver): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, "sigil.db"), driver);
  // The store holds every HA1, and an HA1 is enough to sign in: owner-only, even in a
  // directory the operator made world-readable, and even for files an older run created.
  for (const name of ["sigil.db", "sigil.db-wal", "sigil.db-shm"]) {
    const path = join(dataDir, name);
    if (existsSync(path)) chmodSync(path, 0o600);
  }
  const sweepStatements = [
    // Spent codes are kept ten minutes past expiry so that a late reuse is still recognised (and its tokens revoked).
    "DELETE FROM authorization_codes WHERE expires_at < $now - 600",
    "DELETE FROM refresh_tokens WHERE expires_at < $now",
    "DELETE FROM grants WHERE expires_at < $now",
    "DELETE FROM revoked_access_tokens WHERE expires_at < $now",
    "DELETE FROM used_jtis WHERE expires_at < $now",
    "DELETE FROM setup_tokens WHERE expires_at < $now",
    "DELETE FROM pending_logins WHERE expires_at < $now",
    "DELETE FROM webauthn_challenges WHERE expires_at < $now",
    // A wallet never fetched has no outcome to read: gone at its TTL. The others are kept an hour past expiry
    // so that a relying party can still read the outcome, then gone.
    "DELETE FROM wallet_transactions WHERE status = 'pending' AND expires_at < $now",
    "DELETE FROM wallet_transactions WHERE expires_at < $now - 3600",
    "DELETE FROM throttles WHERE expires_at < $now",
    "DELETE FROM attempts WHERE expires_at <= $now",
    "UPDATE totp_enrolments SET pending_sealed_secret = NULL, pending_expires_at = NULL WHERE pending_expires_at < $now",
    "DELETE FROM totp_enrolments WHERE sealed_secret IS NULL AND pending_sealed_secret IS NULL",
  ].map((sql) => db.query(sql));
  return {
    tenants: sqliteTenants(db),
    users: sqliteUsers(db),
    clients: sqliteClients(db),
    signingKeys: sqliteSigningKeys(db),
    codes: sqliteCodes(db),
    grants: sqliteGrants(db),
    jti: sqliteJti(db),
    setupTokens: sqliteSetupTokens(db),
    secondFactors: sqliteSecondFactors(db),
    pendingLogins: sqlitePendingLogins(db),
    passkeys: sqlitePasskeys(db),
    webauthnChallenges: sqliteWebAuthnChallenges(db),
    verifiers: sqliteVerifiers(db),
    walletTransactions: sqliteWalletTransactions(db),
    walletLinks: sqliteWalletLinks(db),
    trustedLists: sqliteTrustedLists(db),
    throttles: sqliteThrottles(db),
    attempts: sqliteAttempts(db),
    async sweep(now) {
      // A grant may be swept only after its last token expired; its expiry is extended as refresh tokens are issued.
      return writeTransaction(db, () => sweepStatements.reduce((n, statement) => n + statement.run({ now }).changes, 0));
    },
    async readiness() {
      return sqliteReadiness(db);
    },
    close() {
      db.close();
    },
  };
}
