import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import { verifyAccessToken } from "./access-token.ts";
import { authenticateClient } from "./client-authentication.ts";
import { isClientToken } from "./client-credentials.ts";
import type { RequestContext, Services } from "../context/index.ts";

const INACTIVE = { active: false };

/**
 * Token introspection for confidential clients. Access tokens: any confidential
 * client of the tenant (resource servers) may ask. Refresh tokens: only the
 * client they were issued to. Everything else is `{active:false}`.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export async function introspect(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response> {
  const { client, method } = await authenticateClient(services.store, context.tenant.host, context.issuer, authorization, params);
  if (method === "none") throw new OAuthError("invalid_client", "Introspection needs a confidential client.", { status: 401 });
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "token is required.");
  const hint = params.get("token_type_hint");
  const json = (body: object) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

  if (hint !== "refresh_token") {
    const claims = await verifyAccessToken(services, context, token);
    if (claims && isClientToken(claims)) {
      // A client's own token: no user behind it (verifyAccessToken has checked that its client still exists).
      return json({
        active: true, scope: claims.scope, client_id: claims.client_id, token_type: "Bearer",
        exp: claims.exp, iat: claims.iat, sub: claims.sub, aud: claims.aud, iss: claims.iss, jti: claims.jti,
      });
    }
    if (claims) {
      const user = await services.store.users.findBySub(context.tenant.host, claims.sub);
      if (!user || user.disabled) return json(INACTIVE);
      return json({
        active: true, scope: claims.scope, client_id: claims.client_id, username: user.username, token_type: "Bearer",
        exp: claims.exp, iat: claims.iat, sub: claims.sub, aud: claims.aud, iss: claims.iss, jti: claims.jti,
      });
    }
  }
  if (token.length <= 256) {
    const record = await services.store.grants.findRefreshToken(context.tenant.host, hashSecret(token));
    if (record && record.clientId === client.clientId && !record.used && record.expiresAt > nowSeconds() &&
      !(await services.store.grants.isGrantRevoked(context.tenant.host, record.grantId))) {
      return json({ active: true, scope: record.scope, client_id: record.clientId, token_type: "refresh_token", exp: record.expiresAt, sub: record.sub, iss: context.issuer });
    }
  }
  return json(INACTIVE);
}
