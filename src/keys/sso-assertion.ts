import { jwtVerify, SignJWT } from "jose";
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Keyring } from "./keyring.ts";

/** The authentication a single sign-on assertion records (login/'s Authentication has these fields). */
export interface SsoSession {
  tenant: string;
  sub: string;
  amr: string[];
  acr: string;
  authTime: number;
}

const TYPE = "sigil-sso+jwt";

/**
 * Single sign-on without cookies: after a sign-in the login page keeps this
 * signed assertion in localStorage at the IdP origin and presents it to reuse
 * the authentication. HMAC under a per-tenant key that only Sigil holds: it is
 * never shown to relying parties, so it needs no public verification (and costs
 * no RSA signature).
 */
export async function issueSsoAssertion(keyring: Keyring, issuer: string, authentication: SsoSession, sessionEpoch: number, ttl: number): Promise<string> {
  // `ep`: the user's session epoch now; a sign-out or a credential change raises it and so ends this assertion.
  return new SignJWT({ amr: authentication.amr, acr: authentication.acr, auth_time: authentication.authTime, ep: sessionEpoch })
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setIssuer(issuer)
    .setAudience(issuer)
    .setSubject(authentication.sub)
    .setIssuedAt()
    .setJti(randomId(16))
    .setExpirationTime(authentication.authTime + ttl)
    .sign(await keyring.ssoKey(authentication.tenant));
}

/**
 * The authentication an assertion records and the session epoch it was issued in, or null when it
 * is forged, expired, or another tenant's or origin's. The caller compares the epoch with the user's.
 */
export async function readSsoAssertion(keyring: Keyring, tenant: string, issuer: string, assertion: string): Promise<(SsoSession & { sessionEpoch: number }) | null> {
  try {
    const { payload } = await jwtVerify(assertion, await keyring.ssoKey(tenant), {
      algorithms: ["HS256"], typ: TYPE, issuer, audience: issuer, requiredClaims: ["sub", "exp", "auth_time"],
    });
    const authTime = Number(payload.auth_time);
    if (!Number.isInteger(authTime) || authTime > nowSeconds() + 60) return null;
    return {
      tenant,
      sub: String(payload.sub),
      amr: Array.isArray(payload.amr) ? payload.amr.map(String) : [],
      acr: typeof payload.acr === "string" ? payload.acr : "",
      authTime,
      sessionEpoch: typeof payload.ep === "number" && Number.isInteger(payload.ep) ? payload.ep : 0,
    };
  } catch {
    return null;
  }
}
