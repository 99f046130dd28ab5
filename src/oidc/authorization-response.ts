import type { OAuthError } from "../lib/oauth-error.ts";

/**
 * Builds the redirect back to the client: `code` or `error`, with `state` when
 * one was sent and always `iss` (RFC 9207), in the query (response_mode=query).
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2
 */
export function authorizationResponseUrl(redirectUri: string, issuer: string, state: string | null, result: { code: string } | OAuthError): string {
  const url = new URL(redirectUri);
  if ("code" in result && typeof result.code === "string") {
    url.searchParams.set("code", result.code);
  } else {
    const error = result as OAuthError;
    url.searchParams.set("error", error.error);
    url.searchParams.set("error_description", error.description);
  }
  if (state !== null) url.searchParams.set("state", state);
  url.searchParams.set("iss", issuer);
  return url.toString();
}
