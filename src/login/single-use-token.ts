import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { Keyring } from "../keys/index.ts";
import type { Store } from "../store/index.ts";
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";

/**
 * Tokens that a mailed link carries (password recovery, sign-in links): RS256 under the
 * tenant's key, a `typ` naming their one purpose, issuer and audience the tenant's origin,
 * a short lifetime, and a jti that can be claimed once.
 */
export async function issueSingleUseToken(keyring: Keyring, tenant: string, issuer: string, type: string, sub: string, claims: Record<string, unknown>, ttl: number): Promise<string> {
  const key = await keyring.activeKey(tenant);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: type })
    .setIssuer(issuer)
    .setAudience(issuer)
    .setSubject(sub)
    .setIssuedAt()
    .setJti(randomId(16))
    .setExpirationTime(nowSeconds() + ttl)
    .sign(key.privateKey);
}

/** Verifies signature, typ, issuer, audience and expiry; null for anything else. Does not claim the jti. */
export async function readSingleUseToken(keyring: Keyring, tenant: string, issuer: string, type: string, token: string): Promise<(JWTPayload & { sub: string; jti: string; exp: number }) | null> {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "RS256" || typeof header.kid !== "string" || header.typ !== type) return null;
    const key = await keyring.verificationKey(tenant, header.kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, { algorithms: ["RS256"], typ: type, issuer, audience: issuer, requiredClaims: ["sub", "jti", "exp"] });
    return payload as JWTPayload & { sub: string; jti: string; exp: number };
  } catch {
    return null;
  }
}

/** Claims the token's jti: true exactly once. */
export function claimSingleUseToken(store: Store, tenant: string, payload: { jti: string; exp: number }): Promise<boolean> {
  return store.jti.claimOnce(tenant, payload.jti, payload.exp);
}
