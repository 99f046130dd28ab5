// Which SQLite driver is faster for the store's own statement shapes: bun:sqlite or node:sqlite,
// through src/runtime/sqlite.ts (so the wrapper's cost is counted). Run on Bun for both, on Deno for node:sqlite.
//   bun scripts/bench-sqlite.ts      deno run -A scripts/bench-sqlite.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, type SqliteDriver } from "../src/runtime/sqlite.ts";
import { IS_BUN, RUNTIME_NAME } from "../src/runtime/which.ts";

const N = 20_000;
function measure(driver: SqliteDriver): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "sigil-bench-sqlite-"));
  const db = openSqlite(join(dir, "b.db"), { driver });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  db.exec("CREATE TABLE codes (tenant TEXT, code_hash TEXT, used INTEGER DEFAULT 0, expires_at INTEGER, PRIMARY KEY (tenant, code_hash))");
  const insert = db.query("INSERT INTO codes (tenant, code_hash, expires_at) VALUES ($tenant, $codeHash, $expiresAt)");
  const find = db.query("SELECT * FROM codes WHERE tenant = $tenant AND code_hash = $codeHash");
  const consume = db.query("UPDATE codes SET used = 1 WHERE tenant = $tenant AND code_hash = $codeHash AND used = 0 RETURNING *");
  const perSecond = (work: (i: number) => void) => {
    const started = performance.now();
    for (let i = 0; i < N; i++) work(i);
    return Math.round(N / ((performance.now() - started) / 1000));
  };
  const result = {
    "insert (own transaction)/s": perSecond((i) => db.immediateTransaction(() => insert.run({ tenant: "t", codeHash: `h${i}`, expiresAt: i }))),
    "select by key/s": perSecond((i) => find.get({ tenant: "t", codeHash: `h${i}` })),
    "update … returning/s": perSecond((i) => consume.get({ tenant: "t", codeHash: `h${i}` })),
  };
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

for (const driver of (IS_BUN ? ["bun:sqlite", "node:sqlite"] : ["node:sqlite"]) as SqliteDriver[]) {
  console.log(`${RUNTIME_NAME} ${driver}: ${JSON.stringify(measure(driver))}`);
}
