import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeHa1 } from "../lib/ha1.ts";
import { openSqlite } from "../runtime/sqlite.ts";
import { hashRecoveryCode } from "./totp.ts";
import { secretsAtRestSchema } from "../store/migrations/008-secrets-at-rest.ts";
import { hasPassword, openSqliteStore, type Store } from "../store/index.ts";
import { addTenant, addUser, setUserPassword } from "../tenant/index.ts";
import { convertLegacySecrets } from "../keys/convert-legacy-secrets.ts";
import { Keyring } from "../keys/keyring.ts";

const TENANT = "acme.localhost";
const ha1Of = (username: string, password: string) => computeHa1(username, TENANT, password);
const CODE = "abcde-fghjk";

let dir: string;
let store: Store;
let keyring: Keyring;
const subs: Record<string, string> = {};

/** Rewinds the users' secrets to what the previous release stored: HA1 in the clear, all zeros for "no password", bare SHA-256 codes. */
function writeAsOlderSigil(): void {
  const db = openSqlite(join(dir, "sigil.db"));
  try {
    for (const { name } of db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'users_ha1_%' OR name LIKE 'recovery_codes_keyed_%')").all()) db.exec(`DROP TRIGGER ${name}`);
    const set = db.query("UPDATE users SET ha1 = $ha1 WHERE username = $username");
    set.run({ username: "alice", ha1: ha1Of("alice", "alice-pw") });
    set.run({ username: "bob", ha1: ha1Of("bob", "bob-pw") });
    set.run({ username: "carol", ha1: "0".repeat(32) });
    db.query("INSERT INTO recovery_codes (tenant, sub, code_hash) VALUES ($tenant, $sub, $digest)").run({ tenant: TENANT, sub: subs.alice!, digest: hashRecoveryCode(CODE) });
    // Migration 8 on such a store: its guards come, the rows stay as they are until start-up converts them.
    db.exec(secretsAtRestSchema);
  } finally {
    db.close();
  }
}

const user = async (username: string) => (await store.users.findByUsername(TENANT, username))!;
const signsIn = async (username: string, password: string) => keyring.ha1Matches(await user(username), ha1Of(username, password));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-convert-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  await addTenant(store, TENANT);
  for (const name of ["alice", "bob"]) subs[name] = (await addUser(store, TENANT, { username: name, password: `${name}-pw` }, keyring)).sub;
  subs.carol = (await addUser(store, TENANT, { username: "carol", noPassword: true })).sub;
  writeAsOlderSigil();
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("converts every plaintext HA1 and old recovery digest, keeps them working, and a second run finds nothing", async () => {
  expect(await signsIn("alice", "alice-pw")).toBe(false);
  expect(await convertLegacySecrets(store, keyring)).toBe(4);
  expect(await store.users.legacySecrets()).toEqual({ ha1s: [], recoveryCodes: [] });
  expect(await signsIn("alice", "alice-pw")).toBe(true);
  expect(await signsIn("bob", "bob-pw")).toBe(true);
  expect(await signsIn("alice", "bob-pw")).toBe(false);
  expect(hasPassword(await user("carol"))).toBe(false);
  const mac = await keyring.recoveryCodeMac(TENANT, subs.alice!, hashRecoveryCode(CODE.toUpperCase()));
  expect(await store.secondFactors.useRecoveryCode(TENANT, subs.alice!, mac)).toBe(true);
  expect(await store.secondFactors.useRecoveryCode(TENANT, subs.alice!, mac)).toBe(false);
  expect(await convertLegacySecrets(store, keyring)).toBe(0);
});

test("a row changed between reading and writing keeps its change: the conversion writes only over what it read", async () => {
  const racing: Store = {
    ...store,
    users: {
      ...store.users,
      async legacySecrets() {
        const read = await store.users.legacySecrets();
        await setUserPassword(store, TENANT, "bob", { password: "bob-new-pw" }, keyring);
        return read;
      },
    },
  };
  expect(await convertLegacySecrets(racing, keyring)).toBe(3);
  expect(await signsIn("bob", "bob-new-pw")).toBe(true);
  expect(await signsIn("bob", "bob-pw")).toBe(false);
  expect(await signsIn("alice", "alice-pw")).toBe(true);
});

test("a failure part-way writes nothing: the old rows stay for the next start to convert", async () => {
  const legacy = await store.users.legacySecrets();
  const sealed = await keyring.sealHa1(TENANT, subs.alice!, ha1Of("alice", "alice-pw"));
  // The second write is one the store refuses (a plaintext value), after the first succeeded.
  await expect(store.users.convertLegacySecrets({
    ha1s: [{ tenant: TENANT, sub: subs.alice!, from: ha1Of("alice", "alice-pw"), sealedHa1: sealed }, { tenant: TENANT, sub: subs.bob!, from: ha1Of("bob", "bob-pw"), sealedHa1: "plain" }],
    recoveryCodes: [],
  })).rejects.toThrow(/sealed/);
  expect(await store.users.legacySecrets()).toEqual(legacy);
  expect(await convertLegacySecrets(store, keyring)).toBe(4);
  expect(await signsIn("alice", "alice-pw")).toBe(true);
});
