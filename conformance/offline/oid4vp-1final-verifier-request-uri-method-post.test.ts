// oid4vp-1final-verifier-request-uri-method-post (VP1FinalVerifierRequestUriMethodPost): when the wallet
// URL says request_uri_method=post (Sigil's always does; otherwise the suite skips the module), the
// wallet POSTs wallet_nonce (and wallet_metadata) to request_uri: 200 with content type
// application/oauth-authz-req+jwt, the signed request object echoes wallet_nonce
// (EnsureWalletNonceClaimMatchesPostedValue), passes every request check, and the answer is accepted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { validateRequestObject } from "../../test/support/wallet/fetch-request-object.ts";
import { VARIANTS, expectAccepted, expectSuiteRequestChecks, expectVerified, startVerifier, variantName, type Verifier } from "./oid4vp-support.ts";

let verifier: Verifier;
beforeAll(async () => {
  verifier = await startVerifier();
});
afterAll(() => verifier.stop());

const walletNonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");

for (const variant of VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("a POST with wallet_nonce gets the request object with wallet_nonce echoed, and the answer is accepted", async () => {
      const started = await verifier.start(variant);
      const url = new URL(started.walletUrl);
      expect(url.searchParams.get("request_uri_method")).toBe("post");
      const nonce = walletNonce();
      const response = await verifier.fetch(started.requestUri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/oauth-authz-req+jwt" },
        body: new URLSearchParams({ wallet_nonce: nonce, wallet_metadata: JSON.stringify({ vp_formats_supported: { "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256"], "kb-jwt_alg_values": ["ES256"] } } }) }),
      });
      expect(response.status).toBe(200); // EnsureHttpStatusCodeIs200
      expect(response.headers.get("content-type")?.split(";")[0]?.trim()).toBe("application/oauth-authz-req+jwt"); // EnsureContentTypeApplicationOauthAuthzReqJwt
      const fetched = { ...(await validateRequestObject((await response.text()).trim(), url.searchParams.get("client_id")!)), walletNonce: nonce };
      expect(fetched.payload.wallet_nonce).toBe(nonce);
      await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
      const result = await verifier.present(fetched);
      expectAccepted(result);
      await expectVerified(verifier, started);
    });

    test("a POST without wallet_nonce gets a request object without one", async () => {
      const started = await verifier.start(variant);
      const response = await verifier.fetch(started.requestUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
      expect(response.status).toBe(200);
      const fetched = await validateRequestObject((await response.text()).trim());
      expect(fetched.payload.wallet_nonce).toBeUndefined();
    });
  });
}
