// Starting DC API transactions: the operator's switch for unencrypted answers, origins wallets would
// refuse, and the channel each transaction's answer is taken on.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { DEFAULTS } from "../config/index.ts";
import { Keyring } from "../keys/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { responseChannel } from "./transaction-state.ts";
import { WalletQueryError, WalletVerifier } from "./wallet-verifier.ts";

const TENANT = "acme.localhost";
let dir: string;
let store: Store;
let keyring: Keyring;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-dc-api-start-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const verifier = (walletDcApiUnencrypted: boolean) => new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir, walletDcApiUnencrypted });
const api = { tenant: TENANT, issuer: "https://acme.example", purpose: "api", clientId: "rp" } as const;

test("unencrypted dc_api starts only where the operator allows it; dc_api.jwt always", async () => {
  await expect(verifier(false).startDcApi({ ...api, responseMode: "dc_api", origin: "https://rp.example" })).rejects.toBeInstanceOf(WalletQueryError);
  const allowed = await verifier(true).startDcApi({ ...api, responseMode: "dc_api", origin: "https://rp.example" });
  expect(decodeJwt(allowed.dcApiRequest.data.request)).toMatchObject({ response_mode: "dc_api", expected_origins: ["https://rp.example"] });
  const encrypted = await verifier(false).startDcApi({ ...api, responseMode: "dc_api.jwt", origin: "https://rp.example" });
  expect(encrypted.responseUri).toBe(`https://acme.example/oid4vp/v1/presentations/${encrypted.transactionId}/response`);
});

test("an origin wallets would refuse starts nothing", async () => {
  for (const origin of ["http://rp.example", "https://rp.example/cb", "javascript:alert(1)"]) {
    await expect(verifier(false).startDcApi({ ...api, responseMode: "dc_api.jwt", origin })).rejects.toBeInstanceOf(WalletQueryError);
  }
});

test("a DC API transaction's answer is taken on the DC API channel only, and it has no request_uri", async () => {
  const wallet = verifier(false);
  const dc = await wallet.startDcApi({ ...api, responseMode: "dc_api.jwt", origin: "https://rp.example" });
  const redirect = await wallet.start(api);
  expect(responseChannel((await store.walletTransactions.get(TENANT, dc.transactionId))!)).toBe("dc_api");
  expect(responseChannel((await store.walletTransactions.get(TENANT, redirect.transactionId))!)).toBe("redirect");
  expect(await wallet.requestObject(TENANT, dc.transactionId, null)).toBeNull();
  expect(await wallet.requestObject(TENANT, redirect.transactionId, null)).toBeString();
  expect(await wallet.acceptResponse(TENANT, dc.transactionId, { response: "x" })).toMatchObject({ ok: false, status: 404, check: "response_channel", ended: false });
  expect(await wallet.acceptResponse(TENANT, redirect.transactionId, { protocol: "openid4vp-v1-signed", response: "x" }, "dc_api")).toMatchObject({ ok: false, check: "response_channel" });
});
