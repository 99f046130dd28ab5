// oid4vp-1final-verifier-invalid-sd-hash (VP1FinalVerifierInvalidSdHash): the KB-JWT's sd_hash is not
// the hash of the presented <issuer-jwt>~<disclosures>~ (CreateSdJwtKbCredentialWithInvalidSdHash);
// the verifier must answer 4xx.
import { negativeModule } from "./oid4vp-support.ts";

negativeModule(
  ["a KB-JWT whose sd_hash does not match the presentation", (verifier, fetched) => verifier.present(fetched, { switches: ["wrongSdHash"] })],
);
