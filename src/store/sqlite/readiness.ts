import type { SqliteDatabase } from "../../runtime/sqlite.ts";
import { MIGRATIONS } from "../migrations/index.ts";

/**
 * Whether the store is ready to serve: the database file answers a read, and its schema is the
 * one this Sigil migrates to (a file swapped under a running server, e.g. an older backup copied in
 * place of sigil.db, is not). Throws when the database does not answer at all.
 */
export function sqliteReadiness(db: SqliteDatabase): string | null {
  const version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
  // A read of the schema table goes to the file (and its WAL), not only to the header cached at open.
  db.query("SELECT count(*) AS n FROM sqlite_master").get();
  return version === MIGRATIONS.length ? null : `the store is at schema ${version}, this Sigil expects ${MIGRATIONS.length}`;
}
