import type { Store } from "./ports.ts";
import { openPostgresStore } from "./postgres/index.ts";
import { openSqliteStore } from "./sqlite/index.ts";

/** Where the store lives: `store` (config key, SIGIL_STORE, --store) names a PostgreSQL database; unset, SQLite in the data directory. */
export interface StoreLocation {
  readonly store: string | null;
  readonly dataDir: string;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/**
 * Opens the configured store. `follow`: this process runs long and caches rows (a server), so it
 * follows other processes' changes to them (SQLite notices them itself).
 */
export function openStore(location: StoreLocation, options: { follow?: boolean } = {}): Store {
  if (location.store === null) return openSqliteStore(location.dataDir);
  return openPostgresStore(location.store, { follow: options.follow });
}

/** What the store is, in words safe to print (no password). */
export function describeStore(location: StoreLocation): string {
  if (location.store === null) return `SQLite in ${location.dataDir}`;
  try {
    const url = new URL(location.store);
    if (url.password) url.password = "***";
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return "PostgreSQL";
  }
}
