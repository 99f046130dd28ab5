import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, type SqliteDatabase, type SqliteDriver } from "./sqlite.ts";

const DRIVERS: readonly SqliteDriver[] = ["bun:sqlite", "node:sqlite"];
let dir: string;
const opened: SqliteDatabase[] = [];
const open = (driver: SqliteDriver, options: { readonly?: boolean } = {}) => {
  const db = openSqlite(join(dir, "t.db"), { driver, ...options });
  opened.push(db);
  return db;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sigil-sqlite-"));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const setUp = (db: SqliteDatabase) => {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, b BLOB)");
};

describe.each(DRIVERS)("%s", (driver) => {
  test("copyInto writes a consistent copy from a read-only connection while a writer holds the database open", async () => {
    const writer = open(driver);
    setUp(writer);
    writer.query("INSERT INTO t (k, n) VALUES ($k, $n)").run({ k: "a", n: 1 });
    const reader = open(driver, { readonly: true });
    const target = join(dir, "copy.db");
    await reader.copyInto(target);
    writer.query("INSERT INTO t (k, n) VALUES ($k, $n)").run({ k: "b", n: 2 });
    const copy = openSqlite(target, { driver, readonly: true });
    opened.push(copy);
    expect(copy.query<{ k: string }, []>("SELECT k FROM t ORDER BY k").all().map((row) => row.k)).toEqual(["a"]);
  });

  test("binds { name } to $name, ignores extra keys, binds undefined as NULL and booleans as 0/1", () => {
    const db = open(driver);
    setUp(db);
    const insert = db.query("INSERT INTO t (k, n, b) VALUES ($k, $n, $b)");
    expect(insert.run({ k: "a", n: 1, b: new Uint8Array([1, 2]), extra: "ignored" }).changes).toBe(1);
    insert.run({ k: "u", n: undefined, b: null });
    insert.run({ k: "t", n: true, b: null });
    const get = db.query<{ k: string; n: number | null; b: Uint8Array | null }, { k: string }>("SELECT * FROM t WHERE k = $k");
    expect({ ...get.get({ k: "a" }) }).toEqual({ k: "a", n: 1, b: new Uint8Array([1, 2]) });
    expect(get.get({ k: "u" })?.n).toBeNull();
    expect(get.get({ k: "t" })?.n).toBe(1);
    expect(get.get({ k: "missing" })).toBeNull();
    expect(db.query<{ k: string }, []>("SELECT k FROM t ORDER BY k").all().map((row) => row.k)).toEqual(["a", "t", "u"]);
  });

  test("a transaction that throws leaves nothing behind; a nested one rolls back alone", () => {
    const db = open(driver);
    setUp(db);
    const insert = db.query("INSERT INTO t (k) VALUES ($k)");
    expect(() => db.immediateTransaction(() => {
      insert.run({ k: "x" });
      throw new Error("abort");
    })).toThrow("abort");
    db.immediateTransaction(() => {
      insert.run({ k: "outer" });
      expect(() => db.immediateTransaction(() => {
        insert.run({ k: "inner" });
        insert.run({ k: "inner" }); // a unique violation: the savepoint goes, the outer work stays
      })).toThrow(/UNIQUE constraint failed/);
    });
    expect(db.query<{ k: string }, []>("SELECT k FROM t").all().map((row) => row.k)).toEqual(["outer"]);
  });

  test("a writer waits out the busy timeout for another connection's write lock, then fails cleanly", () => {
    const holder = open(driver);
    setUp(holder);
    const waiter = open(driver);
    waiter.exec("PRAGMA busy_timeout = 300");
    holder.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    expect(() => waiter.immediateTransaction(() => waiter.query("INSERT INTO t (k) VALUES ('w')").run())).toThrow(/locked|busy/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    holder.exec("COMMIT");
    waiter.immediateTransaction(() => waiter.query("INSERT INTO t (k) VALUES ('w')").run());
    expect(holder.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()?.n).toBe(1);
  });

  test("a read-only connection reads but cannot write", () => {
    setUp(open(driver));
    const reader = open(driver, { readonly: true });
    expect(reader.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()?.n).toBe(0);
    expect(() => reader.exec("INSERT INTO t (k) VALUES ('r')")).toThrow(/readonly|read-only/i);
  });
});

test("a WAL database written through one driver is read, and written, through the other", () => {
  const writer = open("node:sqlite");
  setUp(writer);
  writer.query("INSERT INTO t (k, n) VALUES ($k, $n)").run({ k: "from-node", n: 7 });
  const other = open("bun:sqlite");
  expect(other.query<{ n: number }, { k: string }>("SELECT n FROM t WHERE k = $k").get({ k: "from-node" })?.n).toBe(7);
  other.query("INSERT INTO t (k, n) VALUES ($k, $n)").run({ k: "from-bun", n: 8 });
  expect(writer.query<{ n: number }, { k: string }>("SELECT n FROM t WHERE k = $k").get({ k: "from-bun" })?.n).toBe(8);
  expect(writer.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
});
