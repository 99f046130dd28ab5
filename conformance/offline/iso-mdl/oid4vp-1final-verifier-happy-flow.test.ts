// oid4vp-1final-verifier-happy-flow (VP1FinalVerifierHappyFlow), credential_format=iso_mdl: the request
// asks for one mso_mdoc credential (CheckDCQLQueryCredentialFormatMatchesTestConfiguration) and passes
// every request check, the nonce is strong, and an mDL DeviceResponse whose device signature covers
// the OpenID4VPHandover SessionTranscript (CreateVP1FinalVerifierIsoMdocRedirectSessionTranscript
// Encrypted/Unencrypted: the key thumbprint only for direct_post.jwt) is accepted; the relying party
// then reads the verified elements.
import { describe, expect, test } from "bun:test";
import { MDOC_VARIANTS, expectAccepted, expectStrongNonce, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "../oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of MDOC_VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("the request passes the request checks, the nonce is strong, and a valid mDL is accepted", async () => {
      const started = await verifier.start(variant);
      const fetched = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
      expectStrongNonce(fetched.payload.nonce);
      expect((fetched.payload.client_metadata as { vp_formats_supported?: Record<string, unknown> }).vp_formats_supported?.mso_mdoc).toBeDefined();
      const result = await verifier.present(fetched);
      expectAccepted(result);
      await expectVerified(verifier, started);
      expect((await verifier.status(started)).claims?.mdl).toEqual({ "org.iso.18013.5.1": { family_name: "Mustermann", given_name: "Erika" } });
    });
  });
}
