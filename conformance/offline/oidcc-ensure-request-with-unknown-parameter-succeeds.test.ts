// oidcc-ensure-request-with-unknown-parameter-succeeds (OIDCCEnsureRequestWithUnknownParameterSucceeds):
// the happy flow with extra=foobar added to the authorization request. extra is defined by no
// specification, so it must be ignored. The parameter must not cause an error (OIDC Core §3.1.2.1, §15.1;
// RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every check of the happy
// flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("extra", "foobar");
