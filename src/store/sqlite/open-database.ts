import { openSqlite, type SqliteDatabase as Database, type SqliteDriver } from "../../runtime/sqlite.ts";
import { MIGRATIONS } from "../migrations/index.ts";

/**
 * Opens (creating if needed) the SQLite store in WAL mode with a busy timeout,
 * and applies pending migrations inside one transaction each, so a crash
 * mid-migration leaves the previous schema intact.
 */
export function openDatabase(path: string, driver?: SqliteDriver): Database {
  const db = openSqlite(path, { driver });
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9);
  // only a power loss can take the last few, which the OS page cache still held.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  migrate(db);
  return db;
}

function migrate(db: Database): void {
  const current = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (current > MIGRATIONS.length) throw new Error(`the data directory was written by a newer Sigil (schema ${current}, this one knows ${MIGRATIONS.length})`);
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.immediateTransaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/** Runs `fn` in an IMMEDIATE transaction (takes the write lock up front, so concurrent writers queue instead of failing). */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  return db.immediateTransaction(fn);
}

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && /UNIQUE constraint failed|PRIMARY KEY/.test(error.message);
