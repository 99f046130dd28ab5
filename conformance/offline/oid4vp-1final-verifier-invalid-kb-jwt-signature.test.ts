// oid4vp-1final-verifier-invalid-kb-jwt-signature (VP1FinalVerifierInvalidKbJwtSignature): the Key
// Binding JWT's signature does not verify with the key in the credential's cnf.jwk (the suite
// corrupts it; the test wallet signs with a stranger key). The verifier must answer 4xx.
import { negativeModule } from "./oid4vp-support.ts";

negativeModule(
  ["a KB-JWT not signed by the cnf key", (verifier, fetched) => verifier.present(fetched, { switches: ["badKbSignature"] })],
);
