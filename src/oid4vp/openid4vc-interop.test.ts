/**
 * Independent check: the wallet side of @openid4vc/openid4vp (a separate
 * implementation) resolves Sigil's request objects and produces an encrypted
 * response that the engine accepts.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { createInMemoryVerifier } from "../../test/support/wallet/in-memory-verifier.ts";
import type { InMemoryVerifier } from "../../test/support/wallet/in-memory-verifier.ts";
import { createTestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { buildVpToken, createTestWallet } from "../../test/support/wallet/wallet.ts";
import type { TestWallet } from "../../test/support/wallet/wallet.ts";
import type { RequestObjectPayload } from "../../test/support/wallet/fetch-request-object.ts";
import { openid4vcCallbacks } from "../../test/support/wallet/openid4vc-callbacks.ts";

let verifier: InMemoryVerifier;
let wallet: TestWallet;

beforeAll(async () => {
  const issuer = await createTestIssuer();
  verifier = await createInMemoryVerifier({ issuer });
  wallet = await createTestWallet(issuer);
});

describe("@openid4vc/openid4vp wallet side against Sigil's verifier", () => {
  for (const requestUriMethod of ["get", "post"] as const) {
    test(`resolves and verifies the request object fetched by ${requestUriMethod.toUpperCase()}`, async () => {
      const { transaction, walletUrl } = await verifier.start({ requestUriMethod });
      const client = new Openid4vpClient({ callbacks: openid4vcCallbacks(verifier.fetch) });
      const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: walletUrl });
      const resolved = await client.resolveOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: parsed.params,
        // This library POSTs wallet metadata fields loose at the top level and never sends wallet_nonce (0.4.6 quirk).
        wallet: requestUriMethod === "post" ? ({ metadata: { authorization_encryption_enc_values_supported: ["A256GCM"] } } as never) : undefined,
      });
      const fetched = verifier.requestFetches.filter((f) => f.id === transaction.id);
      expect(fetched.map((f) => f.method)).toEqual([requestUriMethod.toUpperCase()]);
      const metadata = resolved.authorizationRequestPayload.client_metadata as { encrypted_response_enc_values_supported?: string[] };
      expect(metadata.encrypted_response_enc_values_supported).toEqual(requestUriMethod === "post" ? ["A256GCM"] : ["A128GCM", "A256GCM"]);
      expect(resolved.jar).toBeDefined();
      // The library recomputed the x509_hash from the x5c leaf and accepted it as the effective client_id (the KB-JWT aud).
      expect(resolved.client.prefix).toBe("x509_hash");
      expect(resolved.client.effective).toBe(transaction.client_id);
      expect(resolved.authorizationRequestPayload.nonce).toBe(transaction.nonce);
      expect(resolved.authorizationRequestPayload.client_id).toBe(transaction.client_id);
      expect(resolved.dcql?.query).toEqual(transaction.dcql_query);
      expect(resolved.version).toBe(100);
    });
  }

  test("produces an encrypted response that verifyPresentationResponse accepts", async () => {
    const { transaction, walletUrl } = await verifier.start({ requestUriMethod: "get" });
    const client = new Openid4vpClient({ callbacks: openid4vcCallbacks(verifier.fetch) });
    const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: walletUrl });
    const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
    const request = resolved.authorizationRequestPayload as unknown as RequestObjectPayload;
    const vpToken = await buildVpToken(wallet, request);
    const response = await client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: resolved.authorizationRequestPayload,
      authorizationResponsePayload: { vp_token: vpToken as never },
      jarm: {
        encryption: { nonce: transaction.nonce },
        serverMetadata: {
          authorization_signing_alg_values_supported: ["ES256"],
          authorization_encryption_alg_values_supported: ["ECDH-ES"],
          authorization_encryption_enc_values_supported: ["A128GCM", "A256GCM"],
        },
      },
    });
    const submitted = await client.submitOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: resolved.authorizationRequestPayload as { response_uri: string },
      authorizationResponsePayload: response.authorizationResponsePayload,
      jarm: response.jarm ? { responseJwt: response.jarm.responseJwt } : undefined,
    });
    expect(submitted.responseMode).toBe("direct_post.jwt");
    const outcome = verifier.outcomes.get(transaction.id);
    if (!outcome?.ok) throw new Error(`rejected: ${outcome && !outcome.ok ? outcome.error.internal : "no outcome"}`);
    expect(outcome.claims.pid).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12" });
    expect(submitted.response.status).toBe(200);
  });
});
