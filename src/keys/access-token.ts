import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import type { Keyring } from "./keyring.ts";

export const ACCESS_TOKEN_TYPE = "at+jwt";

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  client_id: string;
  scope: string;
  gid: string;
  /** `client_credentials` on a client's own token (sub = client_id, no user). */
  gty?: string;
}

/**
 * Signs an access token (RFC 9068 profile: typ at+jwt, RS256) with the tenant's active key.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2
 */
export function signAccessToken(keyring: Keyring, tenant: string, claims: AccessTokenClaims & Record<string, unknown>): Promise<string> {
  return keyring.signRs256(tenant, ACCESS_TOKEN_TYPE, claims);
}

/**
 * Reads an access token this tenant minted, as a JWT: RS256 only (alg none and HS256 with the
 * public key never pass), a kid the tenant publishes, typ at+jwt, this issuer and audience,
 * unexpired, and the claims Sigil puts in. Null for any token that fails; a fault of Sigil's own
 * (the keys cannot be loaded) is thrown, never mistaken for an inactive token. Revocation is the
 * caller's to check.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export async function readAccessToken(keyring: Keyring, tenant: string, issuer: string, token: string): Promise<AccessTokenClaims | null> {
  if (token.length > 8192) return null;
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "RS256") return null;
    kid = header.kid;
  } catch {
    return null;
  }
  if (typeof kid !== "string") return null;
  const key = await keyring.verificationKey(tenant, kid);
  if (!key) return null;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ["RS256"], typ: ACCESS_TOKEN_TYPE, issuer, audience: issuer, requiredClaims: ["sub", "jti", "exp", "iat"], clockTolerance: 5,
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
  const claims = payload as AccessTokenClaims;
  if (typeof claims.gid !== "string" || typeof claims.client_id !== "string" || typeof claims.scope !== "string") return null;
  return claims;
}
