import type { Store } from "../ports.ts";
import { ChangeFeed } from "./change-feed.ts";
import { postgresClients } from "./clients.ts";
import { postgresCodes } from "./codes.ts";
import { connect, describeUrl, type Sql } from "./connect.ts";
import { postgresGrants } from "./grants.ts";
import { migrate } from "./migrate.ts";
import { POSTGRES_MIGRATIONS } from "./migrations/index.ts";
import { postgresPasskeys, postgresWebAuthnChallenges } from "./passkeys.ts";
import { postgresPendingLogins } from "./pending-logins.ts";
import { postgresSecondFactors } from "./second-factors.ts";
import { postgresSigningKeys } from "./signing-keys.ts";
import { postgresJti, postgresSetupTokens } from "./single-use.ts";
import { postgresTenants } from "./tenants.ts";
import { postgresAttempts, postgresThrottles } from "./throttles.ts";
import { postgresUsers } from "./users.ts";
import { postgresVerifiers, postgresWalletLinks, postgresWalletTransactions } from "./wallet.ts";
import { postgresTrustedLists } from "./trusted-lists.ts";

export interface PostgresStoreOptions {
  /** Follow other processes' changes to cached rows (LISTEN): what a long-running server needs, and a one-shot command does not. */
  follow?: boolean;
  /** Connections in the pool. */
  maxConnections?: number;
}

/** A PostgreSQL store that can also be ended and awaited (close() does the same without waiting). */
export interface PostgresStore extends Store {
  end(): Promise<void>;
}

/**
 * The shared store: one PostgreSQL database that any number of Sigil processes use at once. It opens
 * at once and connects on first use; the first call waits for the schema to be migrated (and, with
 * `follow`, for the change feed), and fails with one line naming the database if that cannot be done.
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  const sql = connect(url, options.maxConnections);
  const feed = new ChangeFeed();
  // Opened on first use, and again on a later use if that failed (the database was down at start).
  let opening: Promise<void> | null = null;
  const ready = () => (opening ??= (async () => {
    await migrate(sql);
    if (options.follow) await feed.listen(sql);
  })().catch((error: unknown) => {
    opening = null;
    throw new Error(`cannot open the PostgreSQL store ${describeUrl(url)}: ${(error as Error).message}`);
  }));
  const store: PostgresStore = {
    tenants: postgresTenants(sql, feed.marker),
    users: postgresUsers(sql),
    clients: postgresClients(sql, feed.marker),
    signingKeys: postgresSigningKeys(sql, feed.marker),
    codes: postgresCodes(sql),
    grants: postgresGrants(sql),
    jti: postgresJti(sql),
    setupTokens: postgresSetupTokens(sql),
    secondFactors: postgresSecondFactors(sql),
    pendingLogins: postgresPendingLogins(sql),
    passkeys: postgresPasskeys(sql),
    webauthnChallenges: postgresWebAuthnChallenges(sql),
    verifiers: postgresVerifiers(sql),
    walletTransactions: postgresWalletTransactions(sql),
    walletLinks: postgresWalletLinks(sql),
    trustedLists: postgresTrustedLists(sql),
    throttles: postgresThrottles(sql),
    attempts: postgresAttempts(sql),
    sweep: (now) => sweep(sql, now),
    async readiness() {
      const [row] = await sql<{ version: number }[]>`SELECT version FROM sigil_schema`;
      const version = row?.version ?? 0;
      return version === POSTGRES_MIGRATIONS.length ? null : `the store is at schema ${version}, this Sigil expects ${POSTGRES_MIGRATIONS.length}`;
    },
    close() {
      void sql.end({ timeout: 5 });
    },
    end: () => sql.end({ timeout: 5 }),
  };
  return afterReady(store, ready);
}

/** Every method of every repo (and the store's own) first waits for `ready`; the synchronous change marker does not. */
function afterReady(store: PostgresStore, ready: () => Promise<void>): PostgresStore {
  const gate = <T extends object>(target: T): T => {
    const gated: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(target)) {
      gated[name] = typeof value === "function" && name !== "externalChangeMarker" && name !== "close" && name !== "end"
        ? async (...args: unknown[]) => {
          await ready();
          return (value as (...args: unknown[]) => unknown)(...args);
        }
        : value;
    }
    return gated as T;
  };
  const gated: Record<string, unknown> = gate(store as unknown as Record<string, unknown>);
  for (const [name, value] of Object.entries(store)) if (typeof value === "object" && value !== null) gated[name] = gate(value);
  return gated as unknown as PostgresStore;
}

/** Deletes expired single-use rows in one round trip and one transaction (a batch), as the SQLite store does in one transaction. */
async function sweep(sql: Sql, now: number): Promise<number> {
  const results = await sql.batch([
    // Spent codes are kept ten minutes past expiry so that a late reuse is still recognised (and its tokens revoked).
    sql`DELETE FROM authorization_codes WHERE expires_at < ${now - 600}`,
    sql`DELETE FROM refresh_tokens WHERE expires_at < ${now}`,
    // A grant may be swept only after its last token expired; its expiry is extended as refresh tokens are issued.
    sql`DELETE FROM grants WHERE expires_at < ${now}`,
    sql`DELETE FROM revoked_access_tokens WHERE expires_at < ${now}`,
    sql`DELETE FROM used_jtis WHERE expires_at < ${now}`,
    sql`DELETE FROM setup_tokens WHERE expires_at < ${now}`,
    sql`DELETE FROM pending_logins WHERE expires_at < ${now}`,
    sql`DELETE FROM webauthn_challenges WHERE expires_at < ${now}`,
    // A wallet never fetched has no outcome to read: gone at its TTL. The others are kept an hour past expiry.
    sql`DELETE FROM wallet_transactions WHERE status = 'pending' AND expires_at < ${now}`,
    sql`DELETE FROM wallet_transactions WHERE expires_at < ${now - 3600}`,
    sql`DELETE FROM throttles WHERE expires_at < ${now}`,
    sql`DELETE FROM attempts WHERE expires_at <= ${now}`,
    sql`UPDATE totp_enrolments SET pending_sealed_secret = NULL, pending_expires_at = NULL WHERE pending_expires_at < ${now}`,
    sql`DELETE FROM totp_enrolments WHERE sealed_secret IS NULL AND pending_sealed_secret IS NULL`,
  ]);
  return results.reduce((n, result) => n + result.count, 0);
}
