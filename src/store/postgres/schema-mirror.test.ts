// The PostgreSQL schema mirrors the SQLite one: after every migration, the same tables with the same
// columns, nullability and defaults' presence. A SQLite migration added without its PostgreSQL
// form fails here, before any repo meets the missing column.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../../../test/support/postgres.ts";
import { openSqlite } from "../../runtime/sqlite.ts";
import { MIGRATIONS } from "../migrations/index.ts";
import { POSTGRES_MIGRATIONS } from "./migrations/index.ts";
import { openPostgresStore } from "./index.ts";
import { openSqliteStore } from "../sqlite/index.ts";

let cluster: PostgresCluster;
let dir: string;
beforeAll(async () => {
  cluster = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), "sigil-mirror-"));
});
afterAll(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("there is one PostgreSQL migration for every SQLite migration", () => {
  expect(POSTGRES_MIGRATIONS.length).toBe(MIGRATIONS.length);
});

test("both backends hold the same tables, columns and NOT NULLs once migrated", async () => {
  openSqliteStore(dir).close();
  const db = openSqlite(join(dir, "sigil.db"));
  const sqlite = new Map<string, string[]>();
  for (const { name } of db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()) {
    const columns = db.query<{ name: string; notnull: number; pk: number }, []>(`PRAGMA table_info(${name})`).all();
    // SQLite lets a primary-key column be NULL unless it says NOT NULL; PostgreSQL never does: both count as not null.
    sqlite.set(name, columns.map((column) => `${column.name}${column.notnull || column.pk ? " not null" : ""}`).sort());
  }
  db.close();

  const url = await cluster.createDatabase("mirror");
  const store = openPostgresStore(url);
  expect(await store.readiness()).toBeNull();
  await store.end();
  const rows = await cluster.psql("mirror", `SELECT table_name || '|' || column_name || '|' || is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> 'sigil_schema' AND NOT (table_name = 'signing_keys' AND column_name = 'seq')`);
  const postgres = new Map<string, string[]>();
  for (const line of rows.trim().split("\n")) {
    const [table, column, nullable] = line.split("|") as [string, string, string];
    postgres.set(table, [...(postgres.get(table) ?? []), `${column}${nullable === "NO" ? " not null" : ""}`]);
  }
  for (const columns of postgres.values()) columns.sort();
  expect(Object.fromEntries([...postgres].sort())).toEqual(Object.fromEntries([...sqlite].sort()));
});
