import { compactVerify, decodeProtectedHeader } from "jose";
import type { Keyring } from "./keyring.ts";

export interface IdTokenHint {
  sub: string;
  audiences: string[];
}

/**
 * Reads an id_token_hint: an id_token this tenant signed, checked for signature
 * (RS256 with a key the tenant publishes) and issuer, but deliberately not for
 * expiry: relying parties log out hours after sign-in (RP-Initiated Logout 1.0 §2).
 * Returns null for anything else: alg none, HS256, another tenant's key, an access token.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export async function readIdTokenHint(keyring: Keyring, tenant: string, issuer: string, hint: string): Promise<IdTokenHint | null> {
  try {
    const header = decodeProtectedHeader(hint);
    if (header.alg !== "RS256" || typeof header.kid !== "string" || header.typ === "at+jwt") return null;
    const key = await keyring.verificationKey(tenant, header.kid);
    if (!key) return null;
    const { payload } = await compactVerify(hint, key, { algorithms: ["RS256"] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== issuer || typeof claims.sub !== "string") return null;
    const audiences = Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === "string") : typeof claims.aud === "string" ? [claims.aud] : [];
    if (audiences.length === 0) return null;
    return { sub: claims.sub, audiences };
  } catch {
    return null;
  }
}
