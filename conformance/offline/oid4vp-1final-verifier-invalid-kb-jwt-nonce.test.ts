// oid4vp-1final-verifier-invalid-kb-jwt-nonce (VP1FinalVerifierInvalidKbJwtNonce): the KB-JWT's nonce
// is not the request's nonce (InvalidateNonce); the verifier must answer 4xx.
import { negativeModuleWithControl, presentWithCustomKb } from "./oid4vp-support.ts";

negativeModuleWithControl(
  ["a hand-built KB-JWT with the right nonce", (verifier, fetched) => presentWithCustomKb(verifier, fetched, {})],
  ["a KB-JWT with another nonce", (verifier, fetched) => verifier.present(fetched, { switches: ["wrongNonce"] })],
  ["a KB-JWT whose nonce is the request's with its last character changed", (verifier, fetched) => {
    const nonce = fetched.payload.nonce;
    return presentWithCustomKb(verifier, fetched, { nonce: `${nonce.slice(0, -1)}${nonce.endsWith("A") ? "B" : "A"}` });
  }],
);
