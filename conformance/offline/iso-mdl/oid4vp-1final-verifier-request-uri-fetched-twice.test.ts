// oid4vp-1final-verifier-request-uri-fetched-twice (VP1FinalVerifierRequestUriFetchedTwice),
// credential_format=iso_mdl: request_uri is served a second time for the same transaction, and the
// mDL answer built from the second copy (its transcript from that copy's client_id, nonce and key) is accepted.
import { describe, expect, test } from "bun:test";
import { MDOC_VARIANTS, expectAccepted, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "../oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of MDOC_VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("request_uri is served twice, both copies pass the checks, and the answer is accepted", async () => {
      const started = await verifier.start(variant);
      const first = await fetchRequest(verifier, started);
      const second = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, second, verifier.accessCa);
      expect(second.payload.nonce).toBe(first.payload.nonce);
      expect(second.payload.response_uri).toBe(first.payload.response_uri);
      expectAccepted(await verifier.present(second));
      await expectVerified(verifier, started);
    });
  });
}
