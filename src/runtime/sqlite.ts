// The one SQLite surface store/ speaks, so that the same SQL runs on bun:sqlite (Bun) and
// node:sqlite (Deno, and Bun when asked): a data directory written by one opens in the other,
// since both are the SQLite file format with the same PRAGMAs applied by store/.
import { IS_BUN } from "./which.ts";
import { openBunSqlite } from "./sqlite-bun.ts";
import { openNodeSqlite } from "./sqlite-node.ts";

/** What a named parameter may hold: SQLite's own types (booleans are stored as 0/1, undefined as NULL). */
export type SqlValue = string | number | bigint | boolean | null | undefined | Uint8Array;
export type SqlParams = Record<string, SqlValue>;

/** A prepared statement; named parameters are written `$name` in SQL and `{ name }` in the call. */
export interface SqliteStatement<Row, Params extends unknown[]> {
  run(...params: Params): { changes: number };
  /** The first row, or null when there is none. */
  get(...params: Params): Row | null;
  all(...params: Params): Row[];
}

export interface SqliteDatabase {
  /** A prepared statement for `sql`, cached by its text. */
  query<Row = unknown, Params extends SqlParams | SqlValue[] = SqlParams | SqlValue[]>(sql: string): SqliteStatement<Row, Params extends unknown[] ? Params : [Params]>;
  exec(sql: string): void;
  /**
   * Runs `fn` inside BEGIN IMMEDIATE … COMMIT (the write lock taken up front, so concurrent writers
   * wait out the busy timeout instead of failing), rolled back if it throws; nested calls become savepoints.
   */
  immediateTransaction<T>(fn: () => T): T;
  /**
   * A consistent copy of the whole database into a new file at `path`, while others write: `VACUUM
   * INTO` on bun:sqlite; SQLite's online backup API on node:sqlite, where Deno forbids the ATTACH
   * that VACUUM INTO needs.
   */
  copyInto(path: string): Promise<void>;
  close(): void;
}

export type SqliteDriver = "bun:sqlite" | "node:sqlite";

export interface OpenOptions {
  readonly?: boolean;
  /** Which driver; default: bun:sqlite on Bun, node:sqlite elsewhere (see README "Runtimes" for the measurement). */
  driver?: SqliteDriver;
}

export const DEFAULT_SQLITE_DRIVER: SqliteDriver = IS_BUN ? "bun:sqlite" : "node:sqlite";

/** Opens (creating unless read-only) the SQLite file at `path`. */
export function openSqlite(path: string, options: OpenOptions = {}): SqliteDatabase {
  const driver = options.driver ?? DEFAULT_SQLITE_DRIVER;
  return driver === "bun:sqlite" ? openBunSqlite(path, options.readonly ?? false) : openNodeSqlite(path, options.readonly ?? false);
}
