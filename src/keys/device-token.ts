import { jwtVerify, SignJWT } from "jose";
import type { Keyring } from "./keyring.ts";
import { randomId } from "../lib/ids.ts";

const TYPE = "sigil-device+jwt";
/** How long a browser counts as a device the account has signed in on. */
export const DEVICE_TTL = 180 * 24 * 3600;

/**
 * A device token: after a sign-in the page keeps it (localStorage, never a cookie) and sends it
 * with the next password or code, so failures there count against that device alone, not the
 * account's untrusted path an attacker may have slowed down. It proves only "this browser signed
 * in as this user before": it signs nobody in. HMAC under the tenant's single sign-on key, with a
 * type of its own so neither token passes for the other.
 * @see https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies
 */
export async function issueDeviceToken(keyring: Keyring, tenant: string, issuer: string, sub: string, deviceId: string = randomId(16)): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setIssuer(issuer)
    .setAudience(issuer)
    .setSubject(sub)
    .setJti(deviceId)
    .setIssuedAt()
    .setExpirationTime(`${DEVICE_TTL}s`)
    .sign(await keyring.ssoKey(tenant));
}

/** A browser keeps the tokens of the few users who signed in on it, and sends them space-separated. */
const MAX_TOKENS = 5;

/**
 * The device the browser's tokens name for `sub`: the first one that is this tenant's, unexpired,
 * and for that user; otherwise null (a device the account has not signed in on).
 */
export async function readDeviceToken(keyring: Keyring, tenant: string, issuer: string, tokens: string | undefined, sub: string): Promise<string | null> {
  if (!tokens || tokens.length > MAX_TOKENS * 1024) return null;
  const key = await keyring.ssoKey(tenant);
  for (const token of tokens.split(" ").slice(0, MAX_TOKENS)) {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], typ: TYPE, issuer, audience: issuer, subject: sub, requiredClaims: ["jti", "exp"] });
      if (typeof payload.jti === "string" && payload.jti.length <= 64) return payload.jti;
    } catch {
      // Another user's, expired or forged: try the next.
    }
  }
  return null;
}
