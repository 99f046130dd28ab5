import type { RequestContext } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { redirect } from "../oidc/authorize.ts";
import type { AuthorizationRequest } from "../oidc/authorization-request.ts";
import { authorizationResponseUrl } from "../oidc/authorization-response.ts";

/**
 * An error the relying party must hear (prompt=none's login_required, unmet acr_values): the
 * browser goes back to its redirect_uri with `error`, `state` and `iss`. The sign-in page, which
 * asks for JSON, gets the same error with that `redirect` to follow.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export function returnErrorToClient(context: RequestContext, request: AuthorizationRequest, error: OAuthError, status: number): Response {
  const location = authorizationResponseUrl(request.redirectUri, context.issuer, request.state, error);
  if (!context.wantsJson) return redirect(location);
  throw new OAuthError(error.error, error.description, { status, internal: error.internal, details: { redirect: location } });
}
