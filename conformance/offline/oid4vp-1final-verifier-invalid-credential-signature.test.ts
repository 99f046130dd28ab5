// oid4vp-1final-verifier-invalid-credential-signature (VP1FinalVerifierInvalidCredentialSignature):
// the issuer's signature over the SD-JWT is corrupted (InvalidateSdJwtCredentialSignature); the
// verifier must answer 4xx.
import { negativeModule } from "./oid4vp-support.ts";

negativeModule(
  ["a credential whose issuer signature is corrupted", (verifier, fetched) => verifier.present(fetched, { switches: ["badIssuerSignature"] })],
);
