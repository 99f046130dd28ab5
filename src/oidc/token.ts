import type { RequestContext, Services } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { authenticateClient } from "./client-authentication.ts";
import { clientCredentials, type ClientTokenResponse } from "./client-credentials.ts";
import { exchangeCode } from "./exchange-code.ts";
import type { TokenResponse } from "./mint-tokens.ts";
import { refresh } from "./rotate-refresh-token.ts";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/**
 * The token endpoint: authorization_code, refresh_token and client_credentials grants, each only
 * for a client registered for it.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function token(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response> {
  const repeated = params.repeatedAmong(["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope"]);
  if (repeated.length > 0) throw new OAuthError("invalid_request", `Parameters must not repeat: ${repeated.join(", ")}.`);
  const grantType = params.get("grant_type");
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  if (grantType !== "authorization_code" && grantType !== "refresh_token" && grantType !== "client_credentials") {
    throw new OAuthError("unsupported_grant_type", "Supported grant types: authorization_code, refresh_token, client_credentials.");
  }
  const { client, method } = await authenticateClient(services.store, context.tenant.host, context.issuer, authorization, params);
  let response: TokenResponse | ClientTokenResponse;
  if (grantType === "client_credentials") response = await clientCredentials(services, context, client, method, params);
  else if (!client.grantTypes.includes(grantType)) throw new OAuthError("unauthorized_client", `This client is not registered for ${grantType}.`);
  else if (grantType === "authorization_code") response = await exchangeCode(services, context, client, params);
  else response = await refresh(services, context, client, params);
  return Response.json(response, { headers: NO_STORE });
}
