// DC API answers through the whole engine check: the test wallet (test/support/wallet/dc-api.ts)
// answers the signed request for a given Origin, as the platform hands it over, and the engine
// verifies what the page would post.
import { beforeAll, describe, expect, test } from "bun:test";
import { CompactEncrypt, importJWK, type JWK } from "jose";
import { answerDcApiRequests, type DcApiAnswerOptions } from "../../test/support/wallet/dc-api.ts";
import { createMdocIssuer, PID_DOCTYPE, PID_NAMESPACE } from "../../test/support/wallet/mdoc-issuer.ts";
import { createTestIssuer, type TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { buildVpToken, createTestWallet, type TestWallet } from "../../test/support/wallet/wallet.ts";
import type { RequestObjectPayload } from "../../test/support/wallet/fetch-request-object.ts";
import { computeClientId } from "./client-id.ts";
import { createDcApiRequest } from "./dc-api-request.ts";
import { defaultPidQuery } from "./dcql-query.ts";
import { createTransaction, type Transaction } from "./transaction.ts";
import { createTrustStore, type TrustStore } from "./trust-store.ts";
import { createDevelopmentVerifierIdentity, type VerifierIdentity } from "./verifier-identity.ts";
import { verifyPresentationResponse } from "./verify-presentation-response.ts";

const ORIGIN = "https://verifier.test";
let issuer: TestIssuer;
let wallet: TestWallet;
let identity: VerifierIdentity;
let trust: TrustStore;

beforeAll(async () => {
  issuer = await createTestIssuer();
  wallet = await createTestWallet(issuer);
  identity = await createDevelopmentVerifierIdentity("verifier.test");
  trust = await createTrustStore([issuer.ca.pem]);
});

async function start(responseMode: "dc_api.jwt" | "dc_api" = "dc_api.jwt") {
  const transaction = await createTransaction({ clientId: computeClientId(identity, "x509_hash"), responseUri: `${ORIGIN}/dc`, dcqlQuery: defaultPidQuery(), responseMode, origin: ORIGIN });
  return { transaction, request: await createDcApiRequest(identity, transaction) };
}

/** The page's post: the DigitalCredential's protocol and the members of its data. */
async function answer(transaction: Transaction, request: { protocol: string; data: Record<string, unknown> }, origin = ORIGIN, options: DcApiAnswerOptions = {}) {
  const credential = await answerDcApiRequests(wallet, [request], origin, options);
  const body: Record<string, string> = { protocol: credential.protocol };
  for (const [name, value] of Object.entries(credential.data)) body[name] = typeof value === "string" ? value : JSON.stringify(value);
  return { credential, body, outcome: await verifyPresentationResponse(transaction, body, { trust }) };
}

const checkOf = (outcome: Awaited<ReturnType<typeof verifyPresentationResponse>>) => (outcome.ok ? "accepted" : outcome.error.check);

describe("DC API responses", () => {
  test("accepts an encrypted answer bound to origin:<Origin> and returns the disclosed claims", async () => {
    const { transaction, request } = await start();
    const { credential, outcome } = await answer(transaction, request);
    expect(Object.keys(credential.data)).toEqual(["response"]);
    expect(checkOf(outcome)).toBe("accepted");
    if (outcome.ok) expect(outcome.claims.pid).toMatchObject({ given_name: "Erika", family_name: "Mustermann" });
  });

  test("accepts an unencrypted dc_api answer for a dc_api transaction", async () => {
    const { transaction, request } = await start("dc_api");
    const { credential, outcome } = await answer(transaction, request);
    expect(Object.keys(credential.data)).toEqual(["vp_token"]);
    expect(checkOf(outcome)).toBe("accepted");
  });

  test("an honest wallet refuses a request relayed from another origin", async () => {
    const { request } = await start();
    expect((await answerDcApiRequests(wallet, [request], "https://evil.example")).data).toEqual({ error: "invalid_request" });
  });

  test("refuses a presentation bound to another origin", async () => {
    const { transaction, request } = await start();
    const { outcome } = await answer(transaction, request, "https://evil.example", { ignoreExpectedOrigins: true });
    expect(checkOf(outcome)).toBe("kb_aud");
  });

  test("refuses a presentation whose KB-JWT names the client_id, as a redirect flow would", async () => {
    const { transaction } = await start();
    const payload = { client_id: transaction.client_id, nonce: transaction.nonce, dcql_query: transaction.dcql_query } as unknown as RequestObjectPayload;
    const vpToken = await buildVpToken(wallet, payload);
    const key = await importJWK(transaction.response_key.public_jwk as JWK, "ECDH-ES");
    const response = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ vp_token: vpToken })))
      .setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", kid: transaction.response_key.kid }).encrypt(key);
    expect(checkOf(await verifyPresentationResponse(transaction, { protocol: "openid4vp-v1-signed", response }, { trust }))).toBe("kb_aud");
  });

  test("refuses the answer to an unsigned request where the signed one was made, and an answer naming no protocol", async () => {
    const { transaction, request } = await start();
    // Someone between the page and the platform swapped in the request's parameters without the signature.
    const params = JSON.parse(Buffer.from(request.data.request.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const { credential, body, outcome } = await answer(transaction, { protocol: "openid4vp-v1-unsigned", data: params });
    expect(credential.protocol).toBe("openid4vp-v1-unsigned");
    expect(checkOf(outcome)).toBe("dc_api_protocol");
    const { protocol: _dropped, ...unnamed } = body;
    expect(checkOf(await verifyPresentationResponse(transaction, unnamed, { trust }))).toBe("dc_api_protocol");
  });

  test("refuses cleartext for dc_api.jwt, a JWE for dc_api, and reports a wallet's error", async () => {
    const encrypted = await start();
    const plain = await start("dc_api");
    const cleartext = await answer(plain.transaction, plain.request);
    expect(checkOf(await verifyPresentationResponse(encrypted.transaction, cleartext.body, { trust }))).toBe("response_cleartext");
    const jwe = await answer(encrypted.transaction, encrypted.request);
    expect(checkOf(await verifyPresentationResponse(plain.transaction, jwe.body, { trust }))).toBe("response_format");
    expect(checkOf(await verifyPresentationResponse(encrypted.transaction, { protocol: "openid4vp-v1-signed", error: "access_denied" }, { trust }))).toBe("wallet_error");
  });

  test("refuses an answer encrypted to another transaction's key", async () => {
    const first = await start();
    const second = await start();
    const { body } = await answer(first.transaction, first.request);
    expect(checkOf(await verifyPresentationResponse(second.transaction, body, { trust }))).toBe("response_key");
  });
});

describe("DC API mdoc", () => {
  test("accepts a DeviceResponse signed over the OpenID4VPDCAPIHandover of this origin, and refuses one for another origin", async () => {
    const mdocIssuer = await createMdocIssuer(issuer);
    const holder = await createTestWallet(issuer, { mdocIssuer });
    const mdocTrust = await createTrustStore([issuer.ca.pem, mdocIssuer.iaca.pem]);
    const dcqlQuery = { credentials: [{ id: "pid", format: "mso_mdoc", meta: { doctype_value: PID_DOCTYPE }, claims: [{ path: [PID_NAMESPACE, "family_name"] }] }] };
    const run = async (origin: string) => {
      const transaction = await createTransaction({ clientId: computeClientId(identity, "x509_hash"), responseUri: `${ORIGIN}/dc`, dcqlQuery: dcqlQuery as never, responseMode: "dc_api.jwt", origin: ORIGIN });
      const credential = await answerDcApiRequests(holder, [await createDcApiRequest(identity, transaction)], origin, { ignoreExpectedOrigins: true });
      return verifyPresentationResponse(transaction, { protocol: credential.protocol, response: credential.data.response as string }, { trust: mdocTrust });
    };
    const accepted = await run(ORIGIN);
    expect(checkOf(accepted)).toBe("accepted");
    if (accepted.ok) expect(accepted.claims.pid).toMatchObject({ [PID_NAMESPACE]: { family_name: "Mustermann" } });
    expect(checkOf(await run("https://evil.example"))).toBe("mdoc_device_signature");
  });
});
