// An unexpected fault while verifying a wallet's answer (anything the engine throws that is not a
// PresentationError) must not leave the transaction in `verifying`: it ends as failed, the wallet
// hears a bare server_error, and the log gets one line. The fault is injected into the engine.
import { afterEach, beforeEach, expect, spyOn, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestIssuer, type TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { validateRequestObject } from "../../test/support/wallet/fetch-request-object.ts";
import { buildResponseBody, createTestWallet } from "../../test/support/wallet/wallet.ts";
import { DEFAULTS } from "../config/index.ts";
import { Keyring } from "../keys/index.ts";
import { loadEngine } from "../oid4vp/load-engine.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { takePageTransaction } from "./page-transaction.ts";
import { WalletVerifier } from "./wallet-verifier.ts";

const TENANT = "acme.localhost";
let dir: string;
let store: Store;
let keyring: Keyring;
let issuer: TestIssuer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-wallet-verifier-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  issuer = await createTestIssuer({ caName: "Fault CA" });
  const fingerprint = createHash("sha256").update(Buffer.from(issuer.ca.certificate.rawData)).digest("base64url");
  await store.verifiers.addTrustAnchor({ tenant: TENANT, fingerprint, pem: issuer.ca.pem, subject: issuer.ca.name, addedAt: 0 });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a sign-in, lets the test wallet answer it, and hands the answer to the verifier. */
async function answer(verifier: WalletVerifier) {
  const started = await verifier.start({ tenant: TENANT, issuer: `https://${TENANT}`, purpose: "signin", returnTo: "pending-request" });
  const jwt = await verifier.requestObject(TENANT, started.transactionId, null);
  const request = await validateRequestObject(jwt!);
  const body = await buildResponseBody(await createTestWallet(issuer), request.payload, {});
  return { started, outcome: await verifier.acceptResponse(TENANT, started.transactionId, Object.fromEntries(body)) };
}

test("a fault inside verification fails the transaction, answers a bare server_error, and logs one line", async () => {
  const config = { ...DEFAULTS, dataDir: dir };
  // The control: the same answer through the real engine is verified, so the fault alone decides the outcome below.
  const control = await answer(new WalletVerifier(store, keyring, config));
  expect(control.outcome.ok).toBe(true);

  const engine = await loadEngine();
  const faulty = async () => ({ ...engine, verifyCredentials: async () => { throw new TypeError("injected fault: secret detail"); } });
  const logged = spyOn(console, "error").mockImplementation(() => {});
  try {
    const { started, outcome } = await answer(new WalletVerifier(store, keyring, config, faulty));
    expect(outcome).toMatchObject({ ok: false, status: 500, error: "server_error", ended: true });
    expect(outcome.ok === false && outcome.description).not.toContain("injected");
    const record = await store.walletTransactions.get(TENANT, started.transactionId);
    expect(record).toMatchObject({ status: "failed", failedCheck: "internal" });
    expect(logged).toHaveBeenCalledTimes(1);
    const line = String(logged.mock.calls[0]![0]);
    expect(line).toContain(started.transactionId);
    expect(line).toContain("injected fault");
    expect(line).not.toContain("\n");
    // The page that polls hears that it failed, instead of waiting until it expires.
    const page = await takePageTransaction(store, TENANT, { purpose: "signin", id: started.transactionId, secret: started.pageSecret! });
    expect(page).toMatchObject({ state: "failed", check: "internal" });
  } finally {
    logged.mockRestore();
  }
});
