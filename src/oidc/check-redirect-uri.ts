import { OAuthError } from "../lib/oauth-error.ts";
import type { Client } from "../store/index.ts";

/**
 * The redirect_uri of an authorization request: present, and one of the client's registered URIs by
 * exact string comparison (no normalisation, no prefix or wildcard match). A failure is shown to the
 * person, never redirected: the URI is not known to be the client's.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequestValidation
 */
export function checkRedirectUri(client: Client, redirectUri: string | undefined): string {
  if (!redirectUri) throw new OAuthError("invalid_request", "The request has no redirect_uri.");
  if (!client.redirectUris.includes(redirectUri)) {
    throw new OAuthError("invalid_request", "The redirect_uri is not registered for this application.", { internal: `unregistered redirect_uri for ${client.clientId}` });
  }
  return redirectUri;
}
