import type { JWTPayload } from "jose";
import type { Keyring } from "./keyring.ts";

/**
 * Signs an id_token (RS256, typ JWT) with the tenant's active key; the claims are the caller's.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export function signIdToken(keyring: Keyring, tenant: string, claims: JWTPayload): Promise<string> {
  return keyring.signRs256(tenant, "JWT", claims);
}
