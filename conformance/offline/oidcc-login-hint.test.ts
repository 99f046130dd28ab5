// oidcc-login-hint (OIDCCLoginHint): the happy flow with login_hint=buffy@localhost added to the
// authorization request. The suite's default hint is buffy@<issuer host>; the user may still sign in as
// whoever they are. The parameter must not cause an error (OIDC Core §3.1.2.1, §15.1; RFC 6749 §3.1:
// unknown parameters are ignored): the flow completes and passes every check of the happy flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("login_hint", "buffy@localhost");
