// sigil backup under load, sigil restore into a fresh directory with the master key kept beside the
// backup, and a sign-in on the restored server with the same signing key; and what restore refuses.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { obtainTokens } from "../support/oauth-flow.ts";
import { expectCliRefusal, kidOf, publishedKids } from "../support/operations.ts";
import { removeDataDir, runCli, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
const scratch = mkdtempSync(join(tmpdir(), "sigil-backup-"));

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  rmSync(scratch, { recursive: true, force: true });
});

test("a backup taken while sign-ins run restores into a fresh directory where the same user signs in under the same key", async () => {
  const kids = await publishedKids(server);
  let running = true;
  let completed = 0;
  const load = Array.from({ length: 3 }, async () => {
    while (running) {
      await obtainTokens(server, p);
      completed += 1;
    }
  });
  await Bun.sleep(200);
  const file = join(scratch, "under-load.db");
  const backup = await runCli(server.dataDir, ["backup", "--to", file]);
  running = false;
  await Promise.all(load);
  expect(backup.code).toBe(0);
  expect(completed).toBeGreaterThan(0);
  expect(backup.stdout).toContain(`keep ${join(server.dataDir, "master.key")} with it`);

  const fresh = join(scratch, "restored");
  const restore = await runCli(fresh, ["restore", "--from", file]);
  expect(restore.code).toBe(0);
  cpSync(join(server.dataDir, "master.key"), join(fresh, "master.key"));
  const restored = await startSigil({ dataDir: fresh });
  try {
    const { tokens } = await obtainTokens(restored, p);
    expect(kidOf(tokens.id_token!)).toBe(kids[0]!);
    expect(await publishedKids(restored)).toEqual(kids);
    // Restore refuses to replace a store that a running serve has open, even with --force.
    expectCliRefusal(await runCli(fresh, ["restore", "--from", file, "--force"]), /is in use \(is sigil serve running\?\)/);
  } finally {
    await restored.stop();
  }
});

test("restore refuses an existing store without --force, a file that is not a Sigil store, and a newer schema", async () => {
  const file = join(scratch, "plain.db");
  expect((await runCli(server.dataDir, ["backup", "--to", file])).code).toBe(0);
  expectCliRefusal(await runCli(server.dataDir, ["backup", "--to", file]), /already exists: choose a new file/);
  const target = join(scratch, "occupied");
  expect((await runCli(target, ["restore", "--from", file])).code).toBe(0);
  expectCliRefusal(await runCli(target, ["restore", "--from", file]), /sigil\.db already exists: .* add --force/);
  expect((await runCli(target, ["restore", "--from", file, "--force"])).code).toBe(0);

  const text = join(scratch, "notes.txt");
  writeFileSync(text, "not a database at all\n".repeat(100));
  expectCliRefusal(await runCli(join(scratch, "t1"), ["restore", "--from", text]), /notes\.txt is not a Sigil store/);
  const other = join(scratch, "other.db");
  const foreign = new Database(other, { create: true });
  foreign.exec("CREATE TABLE things (x); PRAGMA user_version = 3");
  foreign.close();
  expectCliRefusal(await runCli(join(scratch, "t2"), ["restore", "--from", other]), /other\.db is not a Sigil store/);
  const newer = join(scratch, "newer.db");
  cpSync(file, newer);
  const db = new Database(newer);
  db.exec("PRAGMA user_version = 999");
  db.close();
  expectCliRefusal(await runCli(join(scratch, "t3"), ["restore", "--from", newer]), /written by a newer Sigil \(schema 999/);
});
