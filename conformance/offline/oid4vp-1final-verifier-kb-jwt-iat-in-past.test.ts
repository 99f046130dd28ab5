// oid4vp-1final-verifier-kb-jwt-iat-in-past (VP1FinalVerifierKbJwtIatInPast): the KB-JWT's iat is one
// year in the past (CreateSdJwtKbCredentialWithIatInPast); the verifier must answer 4xx.
import { negativeModule } from "./oid4vp-support.ts";

negativeModule(
  ["a KB-JWT issued a year ago", (verifier, fetched) => verifier.present(fetched, { switches: ["kbIatPast"] })],
);
