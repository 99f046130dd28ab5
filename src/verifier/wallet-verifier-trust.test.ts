// The verifier keeps one parsed trust store (with its cache of validated issuer chains) per tenant,
// rebuilt whenever that tenant's anchors change. These tests drive the real engine through
// WalletVerifier and check that the caching never outlives or crosses a trust decision.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestIssuer, type TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { validateRequestObject } from "../../test/support/wallet/fetch-request-object.ts";
import { buildResponseBody, createTestWallet } from "../../test/support/wallet/wallet.ts";
import { DEFAULTS } from "../config/index.ts";
import { Keyring } from "../keys/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { WalletVerifier } from "./wallet-verifier.ts";

const TENANT = "acme.localhost";
const OTHER = "globex.localhost";
let dir: string;
let store: Store;
let keyring: Keyring;
let issuer: TestIssuer;
let fingerprint: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-wallet-trust-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  issuer = await createTestIssuer({ caName: "Acme Trusted CA" });
  fingerprint = createHash("sha256").update(Buffer.from(issuer.ca.certificate.rawData)).digest("base64url");
  await store.verifiers.addTrustAnchor({ tenant: TENANT, fingerprint, pem: issuer.ca.pem, subject: issuer.ca.name, addedAt: 0 });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function answer(verifier: WalletVerifier, tenant: string, from: TestIssuer = issuer) {
  const started = await verifier.start({ tenant, issuer: `https://${tenant}`, purpose: "signin", returnTo: "pending-request" });
  const jwt = await verifier.requestObject(tenant, started.transactionId, null);
  const request = await validateRequestObject(jwt!);
  const body = await buildResponseBody(await createTestWallet(from), request.payload, {});
  return verifier.acceptResponse(tenant, started.transactionId, Object.fromEntries(body));
}

test("a removed trust anchor is no longer trusted from the next answer on, though its chain was cached", async () => {
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  // Two answers under the anchor: the second is served from the chain cache.
  expect((await answer(verifier, TENANT)).ok).toBe(true);
  expect((await answer(verifier, TENANT)).ok).toBe(true);
  expect(await store.verifiers.removeTrustAnchor(TENANT, fingerprint)).toBe(true);
  const refused = await answer(verifier, TENANT);
  expect(refused).toMatchObject({ ok: false, check: "issuer_trust" });
});

test("another tenant's anchors never serve this tenant, even with its chain in the other tenant's cache", async () => {
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  const otherIssuer = await createTestIssuer({ caName: "Globex CA" });
  const otherFingerprint = createHash("sha256").update(Buffer.from(otherIssuer.ca.certificate.rawData)).digest("base64url");
  await store.verifiers.addTrustAnchor({ tenant: OTHER, fingerprint: otherFingerprint, pem: otherIssuer.ca.pem, subject: otherIssuer.ca.name, addedAt: 0 });
  // Acme's issuer is validated (and cached) for acme; globex's for globex.
  expect((await answer(verifier, TENANT)).ok).toBe(true);
  expect((await answer(verifier, OTHER, otherIssuer)).ok).toBe(true);
  // Each issuer at the other tenant: refused both ways.
  expect(await answer(verifier, OTHER)).toMatchObject({ ok: false, check: "issuer_trust" });
  expect(await answer(verifier, TENANT, otherIssuer)).toMatchObject({ ok: false, check: "issuer_trust" });
});
