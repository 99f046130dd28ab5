import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { parseAuthorizationRequest } from "./authorization-request.ts";
import { authorizationResponseUrl } from "./authorization-response.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { ENDPOINT_PREFIX } from "./endpoints.ts";

/**
 * The authorization endpoint validates the request and hands the browser to
 * /login.html, carrying the request in `return`. Nothing is stored: the login
 * endpoint validates `return` again, so a tampered one gains nothing.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthorizationEndpoint
 */
export async function authorize(services: Services, context: RequestContext, params: Params): Promise<Response> {
  try {
    await parseAuthorizationRequest(services.store, context.tenant.host, context.issuer, params);
  } catch (error) {
    if (error instanceof OAuthError && error.redirectable) {
      const redirectUri = params.get("redirect_uri")!;
      return redirect(authorizationResponseUrl(redirectUri, context.issuer, params.get("state") ?? null, error));
    }
    throw error;
  }
  const query = params.toSearchParams().toString();
  const returnTo = `${ENDPOINT_PREFIX}authorize?${query}`;
  const login = new URLSearchParams({ return: returnTo });
  return redirect(`/login.html?${login.toString()}`);
}

export const redirect = (location: string): Response => new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store" } });
