// oidcc-claims-locales (OIDCCClaimsLocales): the happy flow with claims_locales=se added to the
// authorization request. As the suite sends it. The parameter must not cause an error (OIDC Core §3.1.2.1,
// §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every check of the
// happy flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("claims_locales", "se");
