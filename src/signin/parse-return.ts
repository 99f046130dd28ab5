import { OAuthError } from "../lib/oauth-error.ts";
import { Params } from "../lib/params.ts";
import { parseAuthorizationRequest, type AuthorizationRequest } from "../oidc/authorization-request.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { isAuthorizePath } from "../oidc/endpoints.ts";

/**
 * The sign-in page hands back the authorize request it was given in `return`: a path on
 * this origin to the authorize endpoint, validated again in full here, so a tampered
 * value gains nothing and the page needs no server-side state.
 */
export async function parseReturn(services: Services, context: RequestContext, returnTo: string | undefined): Promise<AuthorizationRequest> {
  if (!returnTo || returnTo.length > 8192) throw new OAuthError("invalid_request", "The sign-in request is missing. Start again from the application.");
  let url: URL;
  try {
    url = new URL(returnTo, context.issuer);
  } catch {
    throw new OAuthError("invalid_request", "The sign-in request is malformed.");
  }
  if (url.origin !== context.issuer || !isAuthorizePath(url)) throw new OAuthError("invalid_request", "The sign-in request does not belong to this server.");
  const params = Params.fromSearch(url.searchParams);
  try {
    return await parseAuthorizationRequest(services.store, context.tenant.host, context.issuer, params);
  } catch (error) {
    if (error instanceof OAuthError) throw new OAuthError("invalid_request", `The application's request is invalid: ${error.description}`, { internal: error.internal });
    throw error;
  }
}
