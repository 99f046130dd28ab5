/** Endpoint names: each answers at /oauth2/v1/<name> and at /oidc.ashx?action=<name>. */
export const ENDPOINT_PREFIX = "/oauth2/v1/";

export const endpointUrl = (issuer: string, name: string): string => `${issuer}${ENDPOINT_PREFIX}${name}`;

/** The two URL shapes of the authorize endpoint, as the login page's `return` may carry them. */
export function isAuthorizePath(url: URL): boolean {
  return url.pathname === `${ENDPOINT_PREFIX}authorize` || (url.pathname === "/oidc.ashx" && url.searchParams.get("action") === "authorize");
}
