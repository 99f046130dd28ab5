import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import type { RequestContext, Services } from "./context.ts";
import { ACCESS_TOKEN_TYPE } from "./mint-tokens.ts";

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  client_id: string;
  scope: string;
  gid: string;
}

/**
 * Verifies an access token this tenant minted: RS256 only (alg none and
 * HS256-with-the-public-key never pass), a kid the tenant publishes, typ at+jwt,
 * this issuer, unexpired, and neither the token nor its grant revoked.
 * Returns null for anything else. Revocation makes a JWT inactive, although it is a JWT.
 */
export async function verifyAccessToken(services: Services, context: RequestContext, token: string): Promise<AccessTokenClaims | null> {
  try {
    if (token.length > 8192) return null;
    const header = decodeProtectedHeader(token);
    if (header.alg !== "RS256" || typeof header.kid !== "string") return null;
    const key = await services.keyring.verificationKey(context.tenant.host, header.kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["RS256"],
      typ: ACCESS_TOKEN_TYPE,
      issuer: context.issuer,
      audience: context.issuer,
      requiredClaims: ["sub", "jti", "exp", "iat"],
      clockTolerance: 5,
    });
    const claims = payload as AccessTokenClaims;
    if (typeof claims.gid !== "string" || typeof claims.client_id !== "string" || typeof claims.scope !== "string") return null;
    if (await services.store.grants.isAccessTokenRevoked(context.tenant.host, claims.jti, claims.gid)) return null;
    return claims;
  } catch {
    return null;
  }
}
