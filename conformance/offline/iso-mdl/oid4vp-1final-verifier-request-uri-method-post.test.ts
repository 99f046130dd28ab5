// oid4vp-1final-verifier-request-uri-method-post (VP1FinalVerifierRequestUriMethodPost),
// credential_format=iso_mdl: the wallet POSTs wallet_nonce and wallet_metadata (mso_mdoc algorithms)
// to request_uri; the signed request object echoes wallet_nonce, passes every check, and the mDL answer is accepted.
import { describe, expect, test } from "bun:test";
import { validateRequestObject } from "../../../test/support/wallet/fetch-request-object.ts";
import { MDOC_VARIANTS, expectAccepted, expectSuiteRequestChecks, expectVerified, useVerifier, variantName } from "../oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of MDOC_VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("a POST with wallet_nonce gets the request object with wallet_nonce echoed, and the mDL is accepted", async () => {
      const started = await verifier.start(variant);
      const url = new URL(started.walletUrl);
      const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
      const response = await verifier.fetch(started.requestUri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/oauth-authz-req+jwt" },
        body: new URLSearchParams({ wallet_nonce: nonce, wallet_metadata: JSON.stringify({ vp_formats_supported: { mso_mdoc: { issuerauth_alg_values: [-7], deviceauth_alg_values: [-7] } } }) }),
      });
      expect(response.status).toBe(200);
      const fetched = { ...(await validateRequestObject((await response.text()).trim(), url.searchParams.get("client_id")!)), walletNonce: nonce };
      expect(fetched.payload.wallet_nonce).toBe(nonce);
      await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
      expectAccepted(await verifier.present(fetched));
      await expectVerified(verifier, started);
    });
  });
}
