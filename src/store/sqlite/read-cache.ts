import type { Database } from "bun:sqlite";

/**
 * A cache of rows that change rarely (tenants, clients), read on every request.
 * It empties itself when another connection (a `sigil` CLI command) has written to
 * the database, which SQLite reports through PRAGMA data_version; the owning repo
 * clears it on its own writes. Only rows that exist are cached, so unknown keys
 * cannot grow it.
 */
export class ReadCache<T> {
  private readonly rows = new Map<string, T>();
  private readonly dataVersion;
  private seenVersion: number;

  constructor(db: Database, private readonly limit = 10_000) {
    this.dataVersion = db.query<{ data_version: number }, []>("PRAGMA data_version");
    this.seenVersion = this.currentVersion();
  }

  get(key: string, load: () => T | null): T | null {
    const version = this.currentVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.rows.clear();
    }
    const cached = this.rows.get(key);
    if (cached !== undefined) return cached;
    const loaded = load();
    if (loaded !== null) {
      if (this.rows.size >= this.limit) this.rows.clear();
      this.rows.set(key, loaded);
    }
    return loaded;
  }

  clear(): void {
    this.rows.clear();
  }

  private currentVersion(): number {
    return this.dataVersion.get()?.data_version ?? 0;
  }
}
