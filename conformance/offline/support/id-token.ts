// PerformStandardIdTokenChecks and the JWKS checks, with the suite's clock skew.
import { expect } from "bun:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { nowSeconds, type Op } from "./op.ts";

/** at_hash: base64url of the left half of the SHA-256 of the access token (OIDC Core §3.1.3.6, RS256). */
export const atHash = (accessToken: string) =>
  Buffer.from(new Bun.CryptoHasher("sha256").update(accessToken).digest().subarray(0, 16)).toString("base64url");

export interface IdTokenExpectations {
  clientId?: string;
  /** The nonce the request carried, or null when it carried none. */
  nonce: string | null;
  /** When given and the token has at_hash, it must match (ValidateAtHash). */
  accessToken?: string;
}

export interface CheckedIdToken {
  header: { alg?: string; kid?: string; [key: string]: unknown };
  claims: JWTPayload & { auth_time?: number; nonce?: string; at_hash?: string; acr?: string; azp?: string; [key: string]: unknown };
}

/**
 * PerformStandardIdTokenChecks: the signature verifies (RS256) with the JWKS key its `kid` names;
 * iss is the discovery issuer; aud contains the client (azp names it when there are several);
 * exp is not more than 5 minutes past, nor absurdly far ahead; iat is neither more than 5 minutes
 * ahead nor more than 5 minutes old; auth_time, when present, is neither ahead nor older than a
 * year; nbf is not ahead; acr is not empty; sub is present; nonce equals the request's; updated_at
 * is a number; at_hash, when present, matches the access token.
 */
export async function expectValidIdToken(op: Op, idToken: string, expected: IdTokenExpectations): Promise<CheckedIdToken> {
  const clientId = expected.clientId ?? op.client.clientId;
  const header = decodeProtectedHeader(idToken) as CheckedIdToken["header"];
  expect(header.alg).toBe("RS256");
  expect(typeof header.kid).toBe("string");
  expect(op.jwks.keys.some((key) => key.kid === header.kid)).toBe(true);
  // jose checks the signature against the key with that kid; clock checks are done below with the suite's skew.
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(op.jwks), { algorithms: ["RS256"], clockTolerance: 300 });
  const claims = payload as CheckedIdToken["claims"];
  const now = nowSeconds();
  const skew = 300;
  expect(claims.iss).toBe(op.issuer);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  expect(audiences).toContain(clientId);
  if (audiences.length > 1) expect(claims.azp).toBe(clientId);
  if (claims.azp !== undefined) expect(claims.azp).toBe(clientId);
  expect(typeof claims.exp).toBe("number");
  expect(claims.exp!).toBeGreaterThanOrEqual(now - skew);
  expect(claims.exp!).toBeLessThan(now + 50 * 365 * 86400);
  expect(typeof claims.iat).toBe("number");
  expect(claims.iat!).toBeLessThanOrEqual(now + skew);
  expect(claims.iat!).toBeGreaterThanOrEqual(now - skew);
  if (claims.auth_time !== undefined) {
    expect(typeof claims.auth_time).toBe("number");
    expect(claims.auth_time).toBeLessThanOrEqual(now + skew);
    expect(claims.auth_time).toBeGreaterThanOrEqual(now - 365 * 86400);
  }
  if (claims.nbf !== undefined) expect(claims.nbf).toBeLessThanOrEqual(now + skew);
  if (claims.acr !== undefined) expect(claims.acr).not.toBe("");
  expect(typeof claims.sub).toBe("string");
  expect(claims.sub!.length).toBeGreaterThan(0);
  if (expected.nonce === null) expect(claims.nonce).toBeUndefined();
  else expect(claims.nonce).toBe(expected.nonce);
  if (claims.updated_at !== undefined) expect(typeof claims.updated_at).toBe("number");
  if (claims.at_hash !== undefined && expected.accessToken !== undefined) expect(claims.at_hash).toBe(atHash(expected.accessToken));
  return { header, claims };
}

/** The JWKS checks every module runs at set-up: keys valid, each with a kid, the kids distinct, no private or symmetric material. */
export function expectValidJwks(jwks: JSONWebKeySet): void {
  expect(Array.isArray(jwks.keys)).toBe(true);
  expect(jwks.keys.length).toBeGreaterThan(0);
  const kids = jwks.keys.map((key) => key.kid);
  for (const kid of kids) expect(typeof kid).toBe("string");
  expect(new Set(kids).size).toBe(kids.length);
  for (const key of jwks.keys) {
    expect(["RSA", "EC", "OKP"]).toContain(String(key.kty));
    expect(key.kty).not.toBe("oct");
    for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secret);
    if (key.kty === "RSA") {
      expect(typeof key.n).toBe("string");
      expect(typeof key.e).toBe("string");
      expect(Buffer.from(key.n!, "base64url").length * 8).toBeGreaterThanOrEqual(2048);
    }
  }
}
