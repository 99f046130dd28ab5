// oid4vp-1final-verifier-happy-flow (VP1FinalVerifierHappyFlow): the verifier's request passes every
// request check of the variant, its nonce is URL-safe, at least 16 characters and above 96 bits of
// Shannon entropy, a valid PID (vct urn:eudi:pid:1) is accepted with 200 JSON, and the relying
// party then reads the verified claims. Under HAIP the answer must also carry redirect_uri
// (HAIP 1.0 §5.1, VP1FinalEnsureDirectPostResponseHasRedirectUriForHaip).
import { describe, expect, test } from "bun:test";
import { VARIANTS, expectAccepted, expectStrongNonce, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "./oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("the request passes the request checks, the nonce is strong, and a valid PID is accepted", async () => {
      const started = await verifier.start(variant);
      const fetched = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
      expectStrongNonce(fetched.payload.nonce);
      const result = await verifier.present(fetched);
      expectAccepted(result);
      await expectVerified(verifier, started);
    });

    if (variant.responseMode === "direct_post.jwt") {
      test("each request carries its own response encryption key (VP1FinalCheckEncryptionKeyNotReused)", async () => {
        const first = await fetchRequest(verifier, await verifier.start(variant));
        const second = await fetchRequest(verifier, await verifier.start(variant));
        const key = (f: typeof first) => JSON.stringify(f.payload.client_metadata?.jwks?.keys.map((k) => [k.x, k.y]));
        expect(key(first)).not.toBe(key(second));
        expect(first.payload.nonce).not.toBe(second.payload.nonce);
      });
    }

    if (variant.vpProfile === "haip") {
      // HAIP 1.0 §5.1: the verifier MUST include redirect_uri in that answer (the suite's
      // VP1FinalEnsureDirectPostResponseHasRedirectUriForHaip).
      test("HAIP 1.0 §5.1: the answer to the wallet's POST carries a redirect_uri", async () => {
        const started = await verifier.start(variant);
        const result = await verifier.present(await fetchRequest(verifier, started));
        expect(result.status).toBe(200);
        expect((result.response as Record<string, unknown>).redirect_uri).toBeString();
      });
    }
  });
}
