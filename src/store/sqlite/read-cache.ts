import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import { ReadCache as MarkedReadCache } from "../read-cache.ts";

/**
 * The shared read cache (../read-cache.ts), emptied when another connection (a `sigil` CLI
 * command) has written to the database, which SQLite reports through PRAGMA data_version.
 */
export class ReadCache<T> extends MarkedReadCache<T> {
  constructor(db: Database, limit?: number) {
    const dataVersion = db.query<{ data_version: number }, []>("PRAGMA data_version");
    super(() => dataVersion.get()?.data_version ?? 0, limit);
  }
}
