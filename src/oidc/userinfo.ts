import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { verifyAccessToken } from "./access-token.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { isClientToken } from "./client-credentials.ts";
import { claimsForScopes } from "./scopes.ts";

/**
 * UserInfo (GET or POST): the Bearer token from the Authorization header or the
 * form body (RFC 6750 §2.1, §2.2), never both; claims per granted scope, `sub` as in the id_token.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export async function userinfo(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response> {
  const fromHeader = authorization !== null && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : null;
  const fromBody = params.get("access_token");
  if (fromHeader !== null && fromBody !== undefined) throw bearerError("invalid_request", "Send the access token once, not in both the header and the body.", 400);
  const token = fromHeader ?? fromBody;
  if (!token) throw bearerError("invalid_token", "An access token is required.", 401, false);
  const claims = await verifyAccessToken(services, context, token);
  if (!claims) throw bearerError("invalid_token", "The access token is invalid, expired or revoked.", 401);
  if (isClientToken(claims)) throw bearerError("invalid_token", "This access token names a client, not a user.", 401);
  const scopes = claims.scope.split(" ");
  if (!scopes.includes("openid")) throw bearerError("invalid_token", "The access token was not granted the openid scope.", 403);
  const user = await services.store.users.findBySub(context.tenant.host, claims.sub);
  if (!user || user.disabled) throw bearerError("invalid_token", "The user is no longer active.", 401);
  const grantClaims = await services.store.grants.grantClaims(context.tenant.host, claims.gid);
  return Response.json({ sub: user.sub, ...claimsForScopes(user, scopes, grantClaims) }, { headers: { "Cache-Control": "no-store" } });
}

/** RFC 6750 §3: the WWW-Authenticate challenge names the error (and none when no token came at all). */
function bearerError(error: "invalid_token" | "invalid_request", description: string, status: number, withError = true): OAuthError {
  const challenge = withError ? `Bearer error="${error}", error_description="${description}"` : "Bearer";
  return new OAuthError(error, description, { status, headers: { "WWW-Authenticate": challenge } });
}
