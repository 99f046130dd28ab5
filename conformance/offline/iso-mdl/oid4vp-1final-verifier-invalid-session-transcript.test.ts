// oid4vp-1final-verifier-invalid-session-transcript (VP1FinalVerifierInvalidSessionTranscript): the
// mock wallet builds the SessionTranscript with another nonce (InvalidateNonce before
// createIsoMdlSessionTranscript), so the mdoc device signature does not verify over the verifier's
// own transcript; the verifier must answer 4xx. A control with the right transcript is accepted, and
// the other handover inputs (client_id, response_uri) are refused the same way.
import { describe, test } from "bun:test";
import { MDOC_VARIANTS, expectAccepted, expectRejected, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "../oid4vp-support.ts";
import type { MdocSwitch } from "../../../test/support/wallet/mdoc-holder.ts";

const verifier = useVerifier();

for (const variant of MDOC_VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("control: the right SessionTranscript is accepted", async () => {
      const started = await verifier.start(variant);
      expectAccepted(await verifier.present(await fetchRequest(verifier, started)));
      await expectVerified(verifier, started);
    });

    for (const [what, wrong] of [["another nonce", "mdocWrongNonce"], ["another client_id", "mdocOtherClientId"], ["another response_uri", "mdocWrongTranscript"]] as [string, MdocSwitch][]) {
      test(`a device signature over a transcript with ${what} is refused with a 4xx and the transaction fails`, async () => {
        const started = await verifier.start(variant);
        const fetched = await fetchRequest(verifier, started);
        await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
        await expectRejected(verifier, started, await verifier.present(fetched, { mdocSwitches: [wrong] }));
      });
    }
  });
}
