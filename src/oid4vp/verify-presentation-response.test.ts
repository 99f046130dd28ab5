import { beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { createInMemoryVerifier } from "../../test/support/wallet/in-memory-verifier.ts";
import type { InMemoryVerifier } from "../../test/support/wallet/in-memory-verifier.ts";
import { createTestIssuer } from "../../test/support/wallet/test-issuer.ts";
import type { TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { buildResponseBody, createTestWallet, presentToVerifier } from "../../test/support/wallet/wallet.ts";
import type { PresentOptions, TestWallet, WalletSwitch } from "../../test/support/wallet/wallet.ts";
import { fetchRequestObject } from "../../test/support/wallet/fetch-request-object.ts";
import { createTrustStore } from "./trust-store.ts";
import { verifyPresentationResponse } from "./verify-presentation-response.ts";
import type { PresentationCheck } from "./presentation-error.ts";

let issuer: TestIssuer;
let verifier: InMemoryVerifier;
let wallet: TestWallet;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = await createInMemoryVerifier({ issuer });
  wallet = await createTestWallet(issuer);
});

async function run(options: Omit<PresentOptions, "fetch"> = {}, start: Parameters<InMemoryVerifier["start"]>[0] = {}) {
  const { transaction, walletUrl } = await verifier.start(start);
  const result = await presentToVerifier(wallet, walletUrl, { ...options, fetch: verifier.fetch });
  const outcome = verifier.outcomes.get(transaction.id);
  if (!outcome) throw new Error("no outcome recorded");
  return { transaction, result, outcome };
}

describe("verifyPresentationResponse", () => {
  test("accepts the test wallet's PID and returns the disclosed claims and only them", async () => {
    const { result, outcome } = await run();
    expect(result.status).toBe(200);
    if (!outcome.ok) throw new Error(outcome.error.internal);
    expect(outcome.claims.pid).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12", vct: "urn:eudi:pid:1" });
    const [credential] = outcome.credentials.pid ?? [];
    expect(credential?.issuerCertificateHash).toBe(createHash("sha256").update(Buffer.from(issuer.leaf.x5c[0]!, "base64")).digest("base64url"));
    expect(credential?.holderKeyThumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const hidden of ["nationalities", "birth_place", "personal_administrative_number", "_sd", "_sd_alg", "cnf"]) expect(outcome.claims.pid).not.toHaveProperty(hidden);
  });

  test("accepts A256GCM, a plain direct_post response, a GET of request_uri and a credential with a valid status", async () => {
    for (const [options, start] of [
      [{ enc: "A256GCM" }, {}],
      [{}, { responseMode: "direct_post" }],
      [{ forceGet: true }, {}],
      [{ withStatus: true }, {}],
    ] as const) {
      const { outcome } = await run(options, start);
      if (!outcome.ok) throw new Error(`${JSON.stringify(options)}: ${outcome.error.internal}`);
    }
  });

  test("accepts an x509_san_dns client_id and binds the KB-JWT aud to it", async () => {
    const sanVerifier = await createInMemoryVerifier({ issuer, prefix: "x509_san_dns" });
    const { transaction, walletUrl } = await sanVerifier.start();
    expect(transaction.client_id).toBe("x509_san_dns:verifier.test");
    await presentToVerifier(wallet, walletUrl, { fetch: sanVerifier.fetch });
    expect(sanVerifier.outcomes.get(transaction.id)?.ok).toBe(true);
    const bare = await sanVerifier.start();
    await presentToVerifier(wallet, bare.walletUrl, { fetch: sanVerifier.fetch, switches: ["bareClientId"] });
    const outcome = sanVerifier.outcomes.get(bare.transaction.id);
    expect(outcome && !outcome.ok ? outcome.error.check : "accepted").toBe("kb_aud");
  });

  const negatives: Array<[WalletSwitch, PresentationCheck]> = [
    ["wrongNonce", "kb_nonce"],
    ["wrongAud", "kb_aud"],
    ["bareClientId", "kb_aud"],
    ["badKbSignature", "kb_signature"],
    ["kbIatPast", "kb_iat"],
    ["kbIatFuture", "kb_iat"],
    ["wrongSdHash", "kb_sd_hash"],
    ["wrongKbTyp", "kb_typ"],
    ["tamperedDisclosure", "disclosure_digest"],
    ["badIssuerSignature", "credential_signature"],
    ["untrustedChain", "issuer_trust"],
    ["expiredCredential", "credential_expired"],
    ["revokedStatus", "status_revoked"],
    ["cleartext", "response_cleartext"],
    ["otherTransactionKey", "response_key"],
    ["wrongEnc", "response_alg"],
    ["wrongState", "state"],
    ["missingKbJwt", "kb_missing"],
    ["wrongTyp", "credential_typ"],
    ["vctNotRequested", "credential_vct"],
    ["omitRequestedClaim", "dcql_unsatisfied"],
  ];
  for (const [walletSwitch, check] of negatives) {
    test(`rejects the ${walletSwitch} presentation with a 4xx naming ${check}`, async () => {
      const { result, outcome } = await run({ switches: [walletSwitch] });
      expect(outcome.ok ? "accepted" : outcome.error.check).toBe(check);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
      expect((result.response as { error_description?: string }).error_description ?? "").not.toBe("");
    });
  }

  test("rejects a response after the transaction expired", async () => {
    const { transaction, walletUrl } = await verifier.start();
    const request = await fetchRequestObject(walletUrl, verifier.fetch);
    const body = await buildResponseBody(wallet, request.payload, {});
    const outcome = await verifyPresentationResponse(transaction, body, { trust: verifier.trust, now: transaction.expires_at + 1 });
    expect(outcome.ok ? "accepted" : outcome.error.check).toBe("transaction_expired");
  });

  test("rejects a credential whose issuer CA is not among the trust anchors even when a trusted CA exists", async () => {
    const { transaction, walletUrl } = await verifier.start();
    const request = await fetchRequestObject(walletUrl, verifier.fetch);
    const body = await buildResponseBody(wallet, request.payload, {});
    const otherIssuer = await createTestIssuer();
    const outcome = await verifyPresentationResponse(transaction, body, { trust: await createTrustStore([otherIssuer.ca.pem]) });
    expect(outcome.ok ? "accepted" : outcome.error.check).toBe("issuer_trust");
  });

  test("rejects a credential whose status list is signed by an untrusted key with a trusted CA name", async () => {
    const impostor = await createTestIssuer({ caName: issuer.ca.name });
    const forging = await createInMemoryVerifier({ issuer, statusListToken: () => issuer.statusListToken({ signer: impostor.leaf }) });
    const { transaction, walletUrl } = await forging.start();
    await presentToVerifier(wallet, walletUrl, { fetch: forging.fetch, withStatus: true });
    const outcome = forging.outcomes.get(transaction.id);
    expect(outcome?.ok ? "accepted" : outcome?.error.check).toBe("status_trust");
  });

  test("rejects a suspended credential", async () => {
    const { transaction, walletUrl } = await verifier.start();
    const request = await fetchRequestObject(walletUrl, verifier.fetch);
    // Re-issue with status index 2 (suspended) by presenting through a one-off issuer wrapper.
    const suspendedWallet: TestWallet = { ...wallet, issuer: { ...issuer, issuePid: (o) => issuer.issuePid({ ...o, statusIdx: 2 }) } };
    const body = await buildResponseBody(suspendedWallet, request.payload, {});
    const outcome = await verifyPresentationResponse(transaction, body, { trust: verifier.trust, statusLists: { fetchToken: async () => issuer.statusListToken() } });
    expect(outcome.ok ? "accepted" : outcome.error.check).toBe("status_suspended");
  });
});

test("rejects a credential that makes iss selectively disclosable", async () => {
  const { transaction, walletUrl } = await verifier.start({
    dcqlQuery: { credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["given_name"] }, { path: ["iss"] }] }] },
  });
  const request = await fetchRequestObject(walletUrl, verifier.fetch);
  const malformed: TestWallet = { ...wallet, issuer: { ...issuer, issuePid: (o) => issuer.issuePid({ ...o, alsoDisclose: ["iss"] }) } };
  const body = await buildResponseBody(malformed, request.payload, {});
  const outcome = await verifyPresentationResponse(transaction, body, { trust: verifier.trust });
  expect(outcome.ok ? "accepted" : outcome.error.check).toBe("disclosure_reserved_name");
});

test("rejects a response encrypted to another live transaction's published key", async () => {
  const other = await verifier.start();
  const { result, outcome } = await run({ switches: ["otherTransactionKey"], otherTransactionJwk: other.transaction.response_key.public_jwk });
  expect(outcome.ok ? "accepted" : outcome.error.check).toBe("response_key");
  expect(result.status).toBe(400);
});
