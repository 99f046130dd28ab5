// Turns a data directory's store into the one an older Sigil would have left: the schema of the
// first `version` migrations, with every row's values in the columns that schema has. Tests of
// upgrades start from it, so that every migration after `version` really runs on start, however
// many later ones there are.
import { Database } from "bun:sqlite";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS } from "../../src/store/migrations/index.ts";

export function rebuildStoreAsVersion(dataDir: string, version: number): void {
  if (version < 1 || version > MIGRATIONS.length) throw new Error(`no migration ${version}`);
  const current = join(dataDir, "sigil.db");
  const rebuilt = join(dataDir, "sigil-old.db");
  rmSync(rebuilt, { force: true });
  const db = new Database(rebuilt);
  try {
    db.exec("PRAGMA foreign_keys = OFF");
    for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
    db.exec(`PRAGMA user_version = ${version}`);
    db.query("ATTACH DATABASE $path AS now").run({ path: current });
    const tables = db.query("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    for (const { name } of tables) {
      const columns = (db.query(`PRAGMA main.table_info("${name}")`).all() as { name: string }[]).map((column) => `"${column.name}"`).join(", ");
      db.exec(`INSERT INTO main."${name}" (${columns}) SELECT ${columns} FROM now."${name}"`);
    }
    db.exec("DETACH DATABASE now");
  } finally {
    db.close();
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${current}${suffix}`, { force: true });
  renameSync(rebuilt, current);
}
