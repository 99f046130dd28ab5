// oidcc-ui-locales (OIDCCUiLocales): the happy flow with ui_locales=se added to the authorization request.
// The suite's default value when the configuration names none. The parameter must not cause an error (OIDC
// Core §3.1.2.1, §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every
// check of the happy flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("ui_locales", "se");
