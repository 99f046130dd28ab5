import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Keyring } from "./keyring.ts";

export type SingleUseClaims = JWTPayload & { sub: string; jti: string; exp: number };

/**
 * Tokens that a mailed link carries (password recovery, sign-in links): RS256 under the
 * tenant's key, a `typ` naming their one purpose, issuer and audience the tenant's origin,
 * a short lifetime, and a jti the redeemer claims once (in the store: login/ does that).
 */
export async function issueSingleUseToken(keyring: Keyring, tenant: string, issuer: string, type: string, sub: string, claims: Record<string, unknown>, ttl: number): Promise<string> {
  const now = nowSeconds();
  return keyring.signRs256(tenant, type, { ...claims, iss: issuer, aud: issuer, sub, iat: now, jti: randomId(16), exp: now + ttl });
}

/** Verifies signature, typ, issuer, audience and expiry; null for anything else. Does not claim the jti. */
export async function readSingleUseToken(keyring: Keyring, tenant: string, issuer: string, type: string, token: string): Promise<SingleUseClaims | null> {
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "RS256" || header.typ !== type) return null;
    kid = header.kid;
  } catch {
    return null;
  }
  if (typeof kid !== "string") return null;
  const key = await keyring.verificationKey(tenant, kid);
  if (!key) return null;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["RS256"], typ: type, issuer, audience: issuer, requiredClaims: ["sub", "jti", "exp"] });
    return payload as SingleUseClaims;
  } catch {
    return null;
  }
}
