// oidcc-display-popup (OIDCCDisplayPopup): the happy flow with display=popup added to the authorization
// request. A popup-sized login page is fine; any login page is. The parameter must not cause an error (OIDC
// Core §3.1.2.1, §15.1; RFC 6749 §3.1: unknown parameters are ignored): the flow completes and passes every
// check of the happy flow.
import { addedParameterModule } from "./support.ts";

addedParameterModule("display", "popup");
