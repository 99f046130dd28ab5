// oid4vp-1final-verifier-invalid-kb-jwt-aud (VP1FinalVerifierInvalidKbJwtAud): the KB-JWT's aud is not
// the verifier's client_id. The suite appends "INVALID" to the client_id
// (CreateSdJwtKbCredentialWithInvalidAud); the bare client_id without its prefix and another
// verifier's client_id must be refused too (OpenID4VP 1.0 §8.6, SD-JWT §7.3). 4xx each time.
import { negativeModuleWithControl, presentWithCustomKb } from "./oid4vp-support.ts";

negativeModuleWithControl(
  ["a hand-built KB-JWT with the right aud", (verifier, fetched) => presentWithCustomKb(verifier, fetched, {})],
  ["a KB-JWT whose aud is the client_id with INVALID appended", (verifier, fetched) => presentWithCustomKb(verifier, fetched, { aud: `${fetched.payload.client_id}INVALID` })],
  ["a KB-JWT whose aud is the client_id without its prefix", (verifier, fetched) => verifier.present(fetched, { switches: ["bareClientId"] })],
  ["a KB-JWT whose aud is another verifier", (verifier, fetched) => verifier.present(fetched, { switches: ["wrongAud"] })],
);
