// oid4vp-1final-verifier-request-uri-fetched-twice (VP1FinalVerifierRequestUriFetchedTwice): after the
// first fetch the suite fetches and processes request_uri a second time; the verifier must serve the
// request object again (200, a request object that passes every check again, for the same
// transaction), and the answer built from the second copy must be accepted.
import { describe, expect, test } from "bun:test";
import { VARIANTS, expectAccepted, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "./oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("request_uri is served twice, both copies pass the checks, and the answer is accepted", async () => {
      const started = await verifier.start(variant);
      const first = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, first, verifier.accessCa);
      const second = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, second, verifier.accessCa);
      expect(second.payload.client_id).toBe(first.payload.client_id);
      expect(second.payload.nonce).toBe(first.payload.nonce);
      expect(second.payload.state).toBe(first.payload.state);
      expect(second.payload.response_uri).toBe(first.payload.response_uri);
      const result = await verifier.present(second);
      expectAccepted(result);
      await expectVerified(verifier, started);
    });

    test("a third fetch by POST after two GETs is served too", async () => {
      const started = await verifier.start(variant);
      await fetchRequest(verifier, started);
      await fetchRequest(verifier, started);
      const third = await fetchRequest(verifier, started, { forceGet: false });
      await expectSuiteRequestChecks(started, third, verifier.accessCa);
      expectAccepted(await verifier.present(third));
    });
  });
}
