/**
 * A cache of rows that change rarely (tenants, clients), read on every request. It empties
 * itself when `marker` changes, which the backend makes change when another process wrote
 * (SQLite: PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY); the owning repo clears it on its own
 * writes. Only rows that exist are cached, so unknown keys cannot grow it.
 */
export class ReadCache<T> {
  private readonly rows = new Map<string, T>();
  private seen: number;

  constructor(private readonly marker: () => number, private readonly limit = 10_000) {
    this.seen = marker();
  }

  async get(key: string, load: () => T | null | Promise<T | null>): Promise<T | null> {
    const version = this.marker();
    if (version !== this.seen) {
      this.seen = version;
      this.rows.clear();
    }
    const cached = this.rows.get(key);
    if (cached !== undefined) return cached;
    const loaded = await load();
    if (loaded !== null) {
      if (this.rows.size >= this.limit) this.rows.clear();
      // A change noticed while loading may make what was read stale: keep it only if none was.
      if (this.marker() === version) this.rows.set(key, loaded);
    }
    return loaded;
  }

  clear(): void {
    this.rows.clear();
  }
}
