// oid4vp-1final-verifier-kb-jwt-iat-in-future (VP1FinalVerifierKbJwtIatInFuture): the KB-JWT's iat is
// one year in the future (CreateSdJwtKbCredentialWithIatInFuture); the verifier must answer 4xx.
import { negativeModule } from "./oid4vp-support.ts";

negativeModule(
  ["a KB-JWT issued a year from now", (verifier, fetched) => verifier.present(fetched, { switches: ["kbIatFuture"] })],
);
