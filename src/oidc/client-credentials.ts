import type { RequestContext, Services } from "../context/index.ts";
import { signAccessToken } from "../keys/index.ts";
import { randomId } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Client } from "../store/index.ts";
import type { ClientAuthMethod } from "./client-authentication.ts";

/** The access token's `gty` claim on a client's own token, as Auth0 marks it: no user stands behind it. */
export const CLIENT_CREDENTIALS_GTY = "client_credentials";

export interface ClientTokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
}

/**
 * The client credentials grant: a confidential client that was registered for it gets an access
 * token for itself (`sub` = its client_id, RFC 9068 §2.2), carrying only scopes it was given;
 * no refresh token (§4.4.3) and no id_token (there is no user).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export async function clientCredentials(services: Services, context: RequestContext, client: Client, method: ClientAuthMethod, params: Params): Promise<ClientTokenResponse> {
  if (method === "none") throw new OAuthError("unauthorized_client", "Only a confidential client may use client_credentials.");
  if (!client.grantTypes.includes("client_credentials")) throw new OAuthError("unauthorized_client", "This client is not registered for client_credentials.");
  const scope = grantedScope(client, params.get("scope"));
  const now = nowSeconds();
  const tenant = context.tenant.host;
  const accessToken = await signAccessToken(services.keyring, tenant, {
    iss: context.issuer, sub: client.clientId, aud: context.issuer, client_id: client.clientId, scope, gty: CLIENT_CREDENTIALS_GTY,
    // Its own grant id, never stored: revoking it revokes this token alone (by jti).
    gid: randomId(16), iat: now, exp: now + services.config.accessTokenTtl, jti: randomId(16),
  });
  services.audit.record(tenant, "token.issued", { client_id: client.clientId, grant: "client_credentials", scope, ip: context.ip });
  return { access_token: accessToken, token_type: "Bearer", expires_in: services.config.accessTokenTtl, scope };
}

/** The scopes asked for, each one the client was given; none asked: all it was given (RFC 6749 §3.3). */
function grantedScope(client: Client, requested: string | undefined): string {
  if (requested === undefined) return client.scopes.join(" ");
  const asked = [...new Set(requested.split(" ").filter((scope) => scope.length > 0))];
  const refused = asked.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0) throw new OAuthError("invalid_scope", `This client may not receive: ${refused.join(" ").slice(0, 200)}.`);
  return asked.join(" ");
}

/** A token a client holds for itself (client_credentials), which names no user. */
export const isClientToken = (claims: { gty?: unknown }): boolean => claims.gty === CLIENT_CREDENTIALS_GTY;
