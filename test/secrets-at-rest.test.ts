// Secrets at rest, read straight off the store as a thief with a copy of DATA/sigil.db would:
// no HA1 (which signs in as it is) and no recovery-code digest in any column or in the file's
// bytes; rows an older Sigil wrote in the clear are converted at start and keep working; a sealed
// HA1 moved onto another user's row opens nowhere; the store itself refuses a plaintext write.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { loginStatus, signInWithHa1, storeBytes } from "./support/operations.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { MIGRATIONS } from "../src/store/migrations/index.ts";
import { rebuildStoreAsVersion } from "./support/old-store.ts";
import { accountToken, enrolTotp } from "./support/totp.ts";

let server: SigilServer;
let p: Provisioned;
const users: Record<string, Provisioned> = {};
let recoveryCodes: string[] = [];
const CROWD = Array.from({ length: 40 }, (_, i) => `crowd${i}`);

/** What Sigil stored for a recovery code before secrets at rest: unsalted SHA-256 (login/totp.ts hashRecoveryCode at the previous release). */
const oldDigest = (code: string) => createHash("sha256").update(`recovery:${code.toLowerCase().replace(/[\s-]+/g, "")}`).digest("base64url");
const ha1Of = (u: Provisioned) => ha1(u.username, u.host, u.password);

async function newUser(name: string): Promise<Provisioned> {
  await server.cliOk(["user", "add", "localhost", name, "--password-stdin"], `${name}-pass-word\n`);
  return (users[name] = { ...p, username: name, password: `${name}-pass-word` });
}

/** Every value of every row of every table, as text. */
function everyStoredValue(dataDir: string): string[] {
  const db = new Database(join(dataDir, "sigil.db"), { readonly: true });
  try {
    const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.flatMap(({ name }) => (db.query(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
      .flatMap((row) => Object.values(row).map((value) => (value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : String(value)))));
  } finally {
    db.close();
  }
}

function expectNowhereInStore(dataDir: string, secrets: string[]): void {
  const values = everyStoredValue(dataDir).map((value) => value.toLowerCase());
  const bytes = storeBytes(dataDir).toLowerCase();
  for (const secret of secrets) {
    expect(values.filter((value) => value.includes(secret.toLowerCase()))).toEqual([]);
    expect(bytes.includes(secret.toLowerCase())).toBe(false);
  }
}

const withStore = <T>(fn: (db: Database) => T): T => {
  const db = new Database(join(server.dataDir, "sigil.db"), { strict: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
};

async function secondStep(u: Provisioned, recoveryCode: string): Promise<number> {
  const { returnTo } = await startAuthorization(server, u);
  const post = (path: string, body: unknown) => server.fetch(`/oauth2/v1/${path}`, {
    method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body),
  });
  const first = (await (await post("login", { user: u.username, ha1: ha1Of(u), return: returnTo })).json()) as { second_factor?: { pending_login: string } };
  expect(first.second_factor).toBeDefined();
  const response = await post("login-second-factor", { pending_login: first.second_factor!.pending_login, recovery_code: recoveryCode });
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  await newUser("sealy");
  await newUser("legacy");
  recoveryCodes = (await enrolTotp(server, users.sealy!, await accountToken(server, users.sealy!))).recoveryCodes;
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

describe("what a copy of the store gives away", () => {
  test("no column and no byte of sigil.db holds an HA1, a recovery code or a recovery code's SHA-256", async () => {
    expect(await loginStatus(server, p, "legacy", users.legacy!.password)).toBe(200);
    await server.stop();
    // The rows are there (so an absence means something), and HA1s of every user are not.
    expect(everyStoredValue(server.dataDir)).toEqual(expect.arrayContaining(["sealy", "legacy", "alice"]));
    expectNowhereInStore(server.dataDir, [ha1Of(p), ha1Of(users.sealy!), ha1Of(users.legacy!), ...recoveryCodes, ...recoveryCodes.map(oldDigest)]);
    server = await server.restart();
  });
});

describe("rows an older Sigil wrote", () => {
  test("a plaintext HA1 and old recovery-code digests are converted at start, keep working, and leave no trace", async () => {
    await server.stop();
    // The schema before secrets at rest (migration 8): none of its guards, user_version 7, and none
    // of the later migrations either, which all run again on the next start.
    rebuildStoreAsVersion(server.dataDir, 7);
    withStore((db) => {
      expect(db.query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'users_ha1_%' OR name LIKE 'recovery_codes_keyed_%')").all()).toEqual([]);
      // As the old code stored them: HA1 in the clear, "no password" as the all-zeros HA1, codes as bare SHA-256.
      db.query("UPDATE users SET ha1 = $ha1 WHERE username = 'legacy'").run({ ha1: ha1Of(users.legacy!) });
      db.query("UPDATE users SET ha1 = $ha1 WHERE username = 'sealy'").run({ ha1: ha1Of(users.sealy!) });
      db.query("UPDATE users SET ha1 = $ha1 WHERE username = 'alice'").run({ ha1: "0".repeat(32) });
      // Enough rows that rewritten cells leave freed space behind in the pages, where an old value could outlive its row.
      for (const name of CROWD) {
        db.query("INSERT INTO users (tenant, sub, username, ha1, role, created_at, updated_at) VALUES ('localhost', $sub, $name, $ha1, 'user', 1, 1)")
          .run({ sub: `sub-${name}`, name, ha1: ha1(name, "localhost", "crowd-pw") });
      }
      db.exec("DELETE FROM recovery_codes");
      const sub = (db.query("SELECT sub FROM users WHERE username = 'sealy'").get() as { sub: string }).sub;
      for (const code of recoveryCodes.slice(0, 2)) db.query("INSERT INTO recovery_codes (tenant, sub, code_hash) VALUES ('localhost', $sub, $hash)").run({ sub, hash: oldDigest(code) });
    });
    expect(everyStoredValue(server.dataDir)).toEqual(expect.arrayContaining([ha1Of(users.legacy!), oldDigest(recoveryCodes[0]!)]));

    server = await startSigil({ dataDir: server.dataDir });
    expect(server.output()).toContain(`sealed ${5 + CROWD.length} password digest(s) and recovery code(s)`);
    expect(await loginStatus(server, p, "legacy", users.legacy!.password)).toBe(200);
    expect(await loginStatus(server, p, "legacy", "not-the-pass-word")).toBe(401);
    // The old "no password" mark signs in with nothing, the all-zeros HA1 included.
    expect((await signInWithHa1(server, p, "alice", "0".repeat(32))).response.status).toBe(401);
    expect(await loginStatus(server, p, "alice", p.password)).toBe(401);
    // A code enrolled before the conversion works once after it.
    expect(await secondStep(users.sealy!, recoveryCodes[0]!)).toBe(200);
    expect(await secondStep(users.sealy!, recoveryCodes[0]!)).toBe(400);
    expect(await secondStep(users.sealy!, recoveryCodes[2]!)).toBe(400);

    await server.stop();
    expect(withStore((db) => (db.query("PRAGMA user_version").get() as { user_version: number }).user_version)).toBe(MIGRATIONS.length);
    expectNowhereInStore(server.dataDir, [
      ha1Of(users.legacy!), ha1Of(users.sealy!), "0".repeat(32), ...recoveryCodes.map(oldDigest), ...CROWD.map((name) => ha1(name, "localhost", "crowd-pw")),
    ]);
    // The conversion is done: the next start finds nothing left to convert and still signs in.
    server = await startSigil({ dataDir: server.dataDir });
    expect(server.output()).not.toContain("sealed");
    expect(await loginStatus(server, p, "legacy", users.legacy!.password)).toBe(200);
    expect(await secondStep(users.sealy!, recoveryCodes[1]!)).toBe(200);
  });
});

describe("an attacker who can write to the store", () => {
  test("a sealed HA1 copied onto another user's row does not let that user sign in with the first one's password", async () => {
    const mallory = await newUser("mallory");
    const bob = await newUser("bob");
    expect(await loginStatus(server, p, "bob", bob.password)).toBe(200);
    withStore((db) => db.exec("UPDATE users SET ha1 = (SELECT ha1 FROM users WHERE username = 'mallory') WHERE username = 'bob'"));
    // The login endpoint takes HA1 itself, so mallory would send her own, which she knows, as bob's.
    expect((await signInWithHa1(server, p, "bob", ha1Of(mallory))).response.status).toBe(401);
    expect(await loginStatus(server, p, "bob", bob.password)).toBe(401);
    expect(await loginStatus(server, p, "mallory", mallory.password)).toBe(200);
  });

  test("the store refuses an HA1 or a recovery-code digest written in the clear", () => {
    withStore((db) => {
      expect(() => db.query("UPDATE users SET ha1 = $ha1 WHERE username = 'bob'").run({ ha1: ha1Of(users.bob!) })).toThrow(/sealed/);
      expect(() => db.query("INSERT INTO recovery_codes (tenant, sub, code_hash) VALUES ('localhost', 'x', $hash)").run({ hash: oldDigest("abcde-fghjk") })).toThrow(/keyed MAC/);
    });
  });
});
