// Online backup and restore of the SQLite store. The backup is `VACUUM INTO` (bun:sqlite) or SQLite's
// online backup API (node:sqlite): the copy is the store as of one instant even while `sigil serve`
// writes (WAL readers never block writers), and a plain SQLite file. Restore checks what it is given before anything is
// replaced, and refuses while another process has the store open.
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { openSqlite } from "../../runtime/sqlite.ts";
import { MIGRATIONS } from "../migrations/index.ts";

export const STORE_FILE = "sigil.db";

/** Why a backup or restore cannot go ahead; its message is one line for the operator. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** Copies the store of `dataDir` into `to` (which must not exist yet); the schema version copied. */
export async function backupSqliteStore(dataDir: string, to: string): Promise<{ schema: number }> {
  const source = join(dataDir, STORE_FILE);
  if (!existsSync(source)) throw new BackupError(`${source} does not exist: nothing to back up`);
  if (existsSync(to)) throw new BackupError(`${to} already exists: choose a new file, a backup never overwrites`);
  // Read-only: a backup must never migrate or otherwise write the store it copies.
  const db = openSqlite(source, { readonly: true });
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    const schema = schemaOf(db);
    await db.copyInto(to);
    chmodSync(to, 0o600); // it holds every sealed secret and HA1 the store does
    return { schema };
  } finally {
    db.close();
  }
}

/** What a backup file holds, checked without changing it: a Sigil store of a schema this Sigil knows, intact. */
export function inspectSqliteBackup(file: string): { schema: number } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`${file} is not a file`);
  let db;
  try {
    db = openSqlite(file, { readonly: true });
  } catch {
    throw new BackupError(`${file} is not a Sigil store`);
  }
  try {
    const schema = schemaOf(db);
    const tables = new Set((db.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
    if (schema < 1 || !["tenants", "users", "signing_keys"].every((name) => tables.has(name))) throw new BackupError(`${file} is not a Sigil store`);
    if (schema > MIGRATIONS.length) throw new BackupError(`${file} was written by a newer Sigil (schema ${schema}, this one knows ${MIGRATIONS.length})`);
    const check = (db.query("PRAGMA quick_check").get() as { quick_check: string }).quick_check;
    if (check !== "ok") throw new BackupError(`${file} is damaged (${check.slice(0, 80)})`);
    return { schema };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a Sigil store`);
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `from` in place of the store of `dataDir`. Refuses when the store is open in
 * another process (a running serve: its open connection denies an exclusive lock) and, unless
 * `force`, when a store is there at all. The copy is made beside the store and renamed over it, so a
 * crash leaves either the old store or the new one; the old write-ahead log goes, or SQLite would
 * replay it onto the restored file.
 */
export function restoreSqliteStore(dataDir: string, from: string, force: boolean): { schema: number } {
  const { schema } = inspectSqliteBackup(from);
  const target = join(dataDir, STORE_FILE);
  if (existsSync(target)) {
    if (!force) throw new BackupError(`${target} already exists: restore into an empty data directory, or add --force to replace it`);
    refuseIfOpen(target);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  copyFileSync(from, staging);
  for (const name of [`${target}-wal`, `${target}-shm`]) rmSync(name, { force: true });
  renameSync(staging, target);
  return { schema };
}

function refuseIfOpen(target: string): void {
  const db = openSqlite(target);
  try {
    db.exec("PRAGMA busy_timeout = 0");
    // In WAL mode every open connection holds a shared lock on the file: an exclusive one is granted only when no one else has it open.
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("ROLLBACK");
  } catch {
    throw new BackupError(`${target} is in use (is sigil serve running?): stop it before restoring`);
  } finally {
    db.close();
  }
}

function schemaOf(db: ReturnType<typeof openSqlite>): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}
