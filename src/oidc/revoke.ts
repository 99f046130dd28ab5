import { decodeJwt } from "jose";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import { verifyAccessToken } from "./access-token.ts";
import { authenticateClient } from "./client-authentication.ts";
import type { RequestContext, Services } from "../context/index.ts";

/**
 * Token revocation. A refresh token revokes its grant (and so every access
 * token of that grant, RFC 7009 §2.1); an access token is revoked alone, by its
 * jti, although it is a JWT. Only the client a token was issued to can revoke
 * it. The answer is 200 whatever the token was (§2.2).
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revoke(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response> {
  const { client } = await authenticateClient(services.store, context.tenant.host, context.issuer, authorization, params);
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "token is required.");
  const tenant = context.tenant.host;
  const now = nowSeconds();

  const refresh = token.length <= 256 ? await services.store.grants.findRefreshToken(tenant, hashSecret(token)) : null;
  if (refresh && refresh.clientId === client.clientId) {
    await services.store.grants.revokeGrant(tenant, refresh.grantId, now);
    services.audit.record(tenant, "token.revoked", { type: "refresh_token", client_id: client.clientId, sub: refresh.sub, ip: context.ip });
  } else if (!refresh && looksLikeJwt(token)) {
    const claims = await verifyAccessToken(services, context, token);
    if (claims && claims.client_id === client.clientId) {
      await services.store.grants.revokeAccessToken(tenant, claims.jti, claims.exp);
      services.audit.record(tenant, "token.revoked", { type: "access_token", client_id: client.clientId, sub: claims.sub, ip: context.ip });
    }
  }
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
}

function looksLikeJwt(token: string): boolean {
  try {
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}
