// oidcc-display-page (OIDCCDisplayPage): the happy flow with display=page added to the authorization
// request. A login page must be shown as usual. The parameter must not cause an error (OIDC Core §3.1.2.1,
// §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every check of the
// happy flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("display", "page");
