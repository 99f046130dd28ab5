import { encodeBase64Url } from "../lib/base64url.ts";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { HA1_PATTERN } from "../lib/ha1.ts";
import { openText, sealText } from "./seal.ts";

/**
 * The users' secrets at rest. HA1 is sealed, not hashed again, because a SIP registrar
 * needs HA1 itself (RFC 2617 §3.2.2.2), and bound to tenant and sub: copied onto another
 * user's row it opens nowhere. Recovery codes are only ever compared, so a keyed MAC is
 * enough; it binds them to their owner the same way. Neither is of any use without the master key.
 */
export const ha1Binding = (tenant: string, sub: string) => `ha1/${tenant}/${sub}`;
const DECOY_BINDING = "ha1-decoy";

export interface Ha1Owner {
  tenant: string;
  sub: string;
  /** null: the user has no password. */
  sealedHa1: string | null;
}

export function sealHa1(aesKey: CryptoKey, tenant: string, sub: string, ha1: string): Promise<string> {
  return sealText(aesKey, ha1, ha1Binding(tenant, sub));
}

/** A sealed value that opens like a real HA1, for the users who have none: an unknown name costs what a known one does. */
export function sealDecoyHa1(aesKey: CryptoKey): Promise<string> {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return sealText(aesKey, hex, DECOY_BINDING);
}

/**
 * Whether `candidate` is the owner's HA1. Always opens exactly one sealed value and makes one
 * constant-time comparison, whether the owner is unknown, has no password, or holds a value
 * that was tampered with or moved from another row (which never matches).
 */
export async function ha1Matches(aesKey: CryptoKey, decoy: string, owner: Ha1Owner | null, candidate: string): Promise<boolean> {
  // Anything not in the sealed format (nothing, or a value an older Sigil stored in the clear) opens the decoy instead.
  const sealed = owner?.sealedHa1?.startsWith("v1.") ? owner.sealedHa1 : null;
  let stored: string | null;
  try {
    stored = sealed !== null ? await openText(aesKey, sealed, ha1Binding(owner!.tenant, owner!.sub)) : await openText(aesKey, decoy, DECOY_BINDING);
  } catch {
    stored = null;
  }
  const equal = constantTimeEqual(stored ?? "-".repeat(32), HA1_PATTERN.test(candidate) ? candidate : "x".repeat(32));
  return sealed !== null && stored !== null && equal;
}

/** The stored form of a recovery code: HMAC-SHA-256 over its owner and its SHA-256 digest (which older rows hold). */
export async function macRecoveryDigest(hmacKey: CryptoKey, tenant: string, sub: string, digest: string): Promise<string> {
  // JSON keeps the three fields apart whatever characters they hold.
  const mac = await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(JSON.stringify(["recovery-code", tenant, sub, digest])));
  return `v1.${encodeBase64Url(new Uint8Array(mac))}`;
}
