// A tenant subscribed to a LoTL for PID providers: presentations from the test wallet are judged by
// the anchors the lists yield (and only for the PID), through the real engine and WalletVerifier.
// Lists come from the stand-in publisher (test/support/trusted-list-publisher.ts) over loopback HTTP.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestIssuer, type TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { validateRequestObject } from "../../test/support/wallet/fetch-request-object.ts";
import { buildResponseBody, createTestWallet } from "../../test/support/wallet/wallet.ts";
import {
  PID_SERVICE_TYPE, QEAA_SERVICE_TYPE, WITHDRAWN, createListSigner, serveLists, signXml, signerDer, tslXml, type ListSigner,
} from "../../test/support/trusted-list-publisher.ts";
import { DEFAULTS } from "../config/index.ts";
import { Keyring } from "../keys/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { addTenant } from "../tenant/index.ts";
import { addTrustedList } from "./trusted-list-subscriptions.ts";
import { TrustedListRefresher } from "./trusted-list-refresh.ts";
import { WalletVerifier } from "./wallet-verifier.ts";

const TENANT = "acme.localhost";
let dir: string;
let store: Store;
let keyring: Keyring;
let events: { event: string; fields: Record<string, unknown> }[];
let refresher: TrustedListRefresher;
let listed: TestIssuer, unlisted: TestIssuer, withdrawn: TestIssuer, otherType: TestIssuer;
let lotlSigner: ListSigner, signerA: ListSigner, signerB: ListSigner, stranger: ListSigner;
let server: Awaited<ReturnType<typeof serveLists>>;
let lotl: string;

beforeAll(async () => {
  [listed, unlisted, withdrawn, otherType] = await Promise.all([
    createTestIssuer({ caName: "CN=Listed PID Provider CA" }), createTestIssuer({ caName: "CN=Unlisted CA" }),
    createTestIssuer({ caName: "CN=Withdrawn PID Provider CA" }), createTestIssuer({ caName: "CN=QEAA Provider CA" }),
  ]);
  [lotlSigner, signerA, signerB, stranger] = await Promise.all([createListSigner("RSA"), createListSigner(), createListSigner(), createListSigner()]);
  const x5c = (issuer: TestIssuer) => Buffer.from(issuer.ca.certificate.rawData).toString("base64");
  server = await serveLists({
    "/nl-a.xml": signXml(tslXml({ services: [
      { provider: "Listed PID Provider", type: PID_SERVICE_TYPE, certificates: [x5c(listed)] },
      { provider: "Withdrawn PID Provider", type: PID_SERVICE_TYPE, status: WITHDRAWN, certificates: [x5c(withdrawn)] },
      { provider: "QEAA Provider", type: QEAA_SERVICE_TYPE, certificates: [x5c(otherType)] },
    ] }), signerA),
    // Names the unlisted issuer, but is signed by a key its LoTL pointer does not name.
    "/nl-b.xml": signXml(tslXml({ services: [{ provider: "Forged", type: PID_SERVICE_TYPE, certificates: [x5c(unlisted)] }] }), stranger),
  });
  lotl = signXml(tslXml({ pointers: [
    { location: server.url("/nl-a.xml"), signerCertificates: [signerDer(signerA)] },
    { location: server.url("/nl-b.xml"), signerCertificates: [signerDer(signerB)] },
  ] }), lotlSigner);
  server.set("/lotl.xml", lotl);
});
afterAll(() => server.stop());

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-trusted-lists-"));
  store = openSqliteStore(dir);
  keyring = await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32)));
  await addTenant(store, TENANT);
  events = [];
  refresher = new TrustedListRefresher(store, { allowHttpFetch: true, allowPrivateFetch: true }, { record: (_tenant, event, fields = {}) => void events.push({ event, fields }) });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function subscribe(options: { vct?: string; signer?: ListSigner; path?: string } = {}) {
  return addTrustedList(store, TENANT, { url: server.url(options.path ?? "/lotl.xml"), signerPem: (options.signer ?? lotlSigner).certificate.pem, serviceType: "PIDProvider", vct: options.vct, allowHttp: true });
}

async function answer(verifier: WalletVerifier, from: TestIssuer) {
  const started = await verifier.start({ tenant: TENANT, issuer: `https://${TENANT}`, purpose: "signin", returnTo: "pending-request" });
  const request = await validateRequestObject((await verifier.requestObject(TENANT, started.transactionId, null))!);
  const body = await buildResponseBody(await createTestWallet(from), request.payload, {});
  return verifier.acceptResponse(TENANT, started.transactionId, Object.fromEntries(body));
}

test("a PID from a listed provider is accepted; unlisted, withdrawn and wrong-service-type providers are refused", async () => {
  await subscribe();
  await refresher.refreshDue();
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  expect((await answer(verifier, listed)).ok).toBe(true);
  expect(await answer(verifier, unlisted)).toMatchObject({ ok: false, check: "issuer_trust" });
  expect(await answer(verifier, withdrawn)).toMatchObject({ ok: false, check: "issuer_trust" });
  expect(await answer(verifier, otherType)).toMatchObject({ ok: false, check: "issuer_trust" });
  // The national list with a bad signature was ignored, and said so in the audit trail.
  expect(events.map((e) => e.event)).toEqual(["trust_list.pointer_ignored", "trust_list.refreshed"]);
  expect(String(events[0]!.fields.reason)).toContain("/nl-b.xml");
  expect(events[1]!.fields.anchors).toBe(1);
});

test("without a subscription (or before its first refresh) the listed provider is not trusted", async () => {
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  expect(await answer(verifier, listed)).toMatchObject({ ok: false, check: "issuer_trust" });
  await subscribe();
  expect(await answer(verifier, listed)).toMatchObject({ ok: false, check: "issuer_trust" });
});

test("a list subscribed for another credential type does not make its providers trusted for the PID", async () => {
  await subscribe({ vct: "urn:example:diploma:*" });
  await refresher.refreshDue();
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  expect(await answer(verifier, listed)).toMatchObject({ ok: false, check: "issuer_trust" });
});

test("a LoTL signed by a key other than the configured one is refused: nothing is trusted and the failure is audited", async () => {
  const record = await subscribe({ signer: stranger });
  await refresher.refreshDue();
  const [saved] = await store.trustedLists.list(TENANT);
  expect(saved).toMatchObject({ id: record.id, anchorsJson: null });
  expect(saved!.lastError).toContain("does not verify");
  expect(events.map((e) => e.event)).toEqual(["trust_list.refresh_failed"]);
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  expect(await answer(verifier, listed)).toMatchObject({ ok: false, check: "issuer_trust" });
});

test("a failed refresh keeps the previous verified copy until its NextUpdate, then trust fails closed", async () => {
  await subscribe();
  await refresher.refreshDue();
  const verifier = new WalletVerifier(store, keyring, { ...DEFAULTS, dataDir: dir });
  expect((await answer(verifier, listed)).ok).toBe(true);
  // The publisher now serves a tampered LoTL: the refresh fails, the verified copy stays in force.
  server.set("/lotl.xml", lotl.replace("Test scheme operator", "Evil scheme operator"));
  try {
    const [record] = await store.trustedLists.list(TENANT);
    expect(await refresher.refresh(record!)).toBe(false);
    expect(events.at(-1)).toMatchObject({ event: "trust_list.refresh_failed", fields: { previous_copy_until: record!.nextUpdate } });
    expect((await answer(verifier, listed)).ok).toBe(true);
    // Its NextUpdate passes (as the store would see it later): the providers are no longer trusted.
    const now = Math.floor(Date.now() / 1000);
    await store.trustedLists.saveVerified(TENANT, record!.id, { anchorsJson: record!.anchorsJson!, issuedAt: record!.issuedAt!, nextUpdate: now - 1, at: now - 7200 });
    expect(await answer(verifier, listed)).toMatchObject({ ok: false, check: "issuer_trust" });
  } finally {
    server.set("/lotl.xml", lotl);
  }
});
