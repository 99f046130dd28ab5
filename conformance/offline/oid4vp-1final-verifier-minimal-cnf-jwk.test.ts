// oid4vp-1final-verifier-minimal-cnf-jwk (VP1FinalVerifierMinimalCnfJwk): the credential's cnf.jwk holds
// only kty, crv, x and y (no kid, use, alg, key_ops, x5c, x5t); the verifier must still accept it
// (200 JSON) and verify the Key Binding JWT with that key.
import { describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { buildVpToken } from "../../test/support/wallet/wallet.ts";
import { VARIANTS, expectAccepted, expectSuiteRequestChecks, expectVerified, fetchRequest, useVerifier, variantName } from "./oid4vp-support.ts";

const verifier = useVerifier();

for (const variant of VARIANTS) {
  describe(`${variant.plan} [${variantName(variant)}]`, () => {
    test("a PID whose cnf.jwk has only kty, crv, x, y is accepted", async () => {
      const started = await verifier.start(variant);
      const fetched = await fetchRequest(verifier, started);
      await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
      // The holder's credential, as the wallet presents it: its cnf.jwk is the minimal EC key.
      const token = await buildVpToken(verifier.wallet, fetched.payload);
      const presented = Object.values(token)[0]![0]!;
      const cnf = decodeJwt(presented.split("~")[0]!).cnf as { jwk: Record<string, unknown> };
      expect(Object.keys(cnf.jwk).sort()).toEqual(["crv", "kty", "x", "y"]);
      const result = await verifier.present(fetched);
      expectAccepted(result);
      await expectVerified(verifier, started);
    });
  });
}
