// oidcc-scope-profile (OIDCCScopeProfile): the happy flow with scope "openid profile", then userinfo. The
// suite skips the module when scopes_supported does not list every scope asked for
// (OIDCCCheckScopesSupportedContainScopeTest); otherwise it checks userinfo (200, JSON, standard claim
// types, the id_token's sub) and warns when the scopes' claims (OIDC Core §5.4) are missing. Offline: where
// Sigil lists the scopes their claims must come back; where it does not, the request must still succeed,
// the unsupported scope must not be granted, and none of its claims may appear.
import { supportedScopeModule } from "./support.ts";

supportedScopeModule("profile");
