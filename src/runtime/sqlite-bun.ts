// bun:sqlite behind the SqliteDatabase surface: the driver Bun uses by default (see README "Runtimes").
import type { SqliteDatabase } from "./sqlite.ts";

type BunDatabase = import("bun:sqlite").Database;

export function openBunSqlite(path: string, readonly: boolean): SqliteDatabase {
  // A static import of bun:sqlite would fail Deno at load time ("Unsupported scheme"), even on a path that never opens it.
  const { Database } = require("bun:sqlite") as typeof import("bun:sqlite");
  // strict: `{ name }` binds `$name`, and a missing parameter is an error rather than a silent NULL.
  const db: BunDatabase = readonly ? new Database(path, { readonly: true, strict: true }) : new Database(path, { create: true, strict: true });
  return {
    // bun:sqlite's own statements already have this shape (get gives null for no row): no wrapper on the hot path.
    query: (sql) => db.query(sql) as never,
    exec: (sql) => void db.exec(sql),
    immediateTransaction: (fn) => db.transaction(fn).immediate(),
    copyInto: async (target) => void db.query("VACUUM INTO $target").run({ target }),
    close: () => db.close(),
  };
}
