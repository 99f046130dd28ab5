import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeHa1 } from "../lib/ha1.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { Keyring } from "./keyring.ts";

let dir: string;
let store: Store;
let keyring: Keyring;
const HA1 = computeHa1("alice", "acme.localhost", "wonderland-42");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-secrets-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
});
afterAll(() => {
  crypto.subtle.decrypt = realDecrypt;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

// Every answer must open exactly one sealed value: counting AES-GCM decryptions shows it.
const realDecrypt = crypto.subtle.decrypt.bind(crypto.subtle);
let decryptions = 0;
crypto.subtle.decrypt = ((...args: Parameters<SubtleCrypto["decrypt"]>) => {
  decryptions++;
  return realDecrypt(...args);
}) as SubtleCrypto["decrypt"];
afterEach(() => {
  decryptions = 0;
});

async function matches(owner: Parameters<Keyring["ha1Matches"]>[0], candidate: string) {
  decryptions = 0;
  const result = await keyring.ha1Matches(owner, candidate);
  return { result, decryptions };
}

test("a sealed HA1 matches its own HA1 only, on its own row only", async () => {
  const sealed = await keyring.sealHa1("acme.localhost", "sub-a", HA1);
  expect(sealed).toStartWith("v1.");
  expect(sealed).not.toContain(HA1);
  const alice = { tenant: "acme.localhost", sub: "sub-a", sealedHa1: sealed };
  expect(await matches(alice, HA1)).toEqual({ result: true, decryptions: 1 });
  expect(await matches(alice, computeHa1("alice", "acme.localhost", "wrong"))).toEqual({ result: false, decryptions: 1 });
  expect(await matches(alice, "not an HA1")).toEqual({ result: false, decryptions: 1 });
  // Moved onto another user's row, or into another tenant, it opens nowhere.
  expect(await matches({ ...alice, sub: "sub-b" }, HA1)).toEqual({ result: false, decryptions: 1 });
  expect(await matches({ ...alice, tenant: "contoso.localhost" }, HA1)).toEqual({ result: false, decryptions: 1 });
  // Tampered with: refused, not thrown.
  const flipped = `${sealed.slice(0, -2)}${sealed.endsWith("AA") ? "AB" : "AA"}`;
  expect(await matches({ ...alice, sealedHa1: flipped }, HA1)).toEqual({ result: false, decryptions: 1 });
});

test("an unknown user and a user without a password cost one opening too, and never match", async () => {
  expect(await matches(null, HA1)).toEqual({ result: false, decryptions: 1 });
  expect(await matches({ tenant: "acme.localhost", sub: "sub-a", sealedHa1: null }, HA1)).toEqual({ result: false, decryptions: 1 });
  // What an older Sigil stored in the clear is not a sealed value: it never matches, even itself.
  expect(await matches({ tenant: "acme.localhost", sub: "sub-a", sealedHa1: HA1 }, HA1)).toEqual({ result: false, decryptions: 1 });
});

test("another master key opens nothing this one sealed", async () => {
  const sealed = await keyring.sealHa1("acme.localhost", "sub-a", HA1);
  const other = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  expect(await other.ha1Matches({ tenant: "acme.localhost", sub: "sub-a", sealedHa1: sealed }, HA1)).toBe(false);
});

test("a recovery code's MAC is fixed for its owner, differs for any other owner, and needs the master key", async () => {
  const digest = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
  const mac = await keyring.recoveryCodeMac("acme.localhost", "sub-a", digest);
  expect(mac).toMatch(/^v1\.[A-Za-z0-9_-]{43}$/);
  expect(await keyring.recoveryCodeMac("acme.localhost", "sub-a", digest)).toBe(mac);
  expect(await keyring.recoveryCodeMac("acme.localhost", "sub-b", digest)).not.toBe(mac);
  expect(await keyring.recoveryCodeMac("contoso.localhost", "sub-a", digest)).not.toBe(mac);
  const other = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  expect(await other.recoveryCodeMac("acme.localhost", "sub-a", digest)).not.toBe(mac);
});
