import { createHash } from "node:crypto";

/**
 * HA1 = MD5(username:realm:password), the digest that SIP and HTTP Digest store
 * (RFC 2617 §3.2.2.2). The browser sends only this; Sigil stores it sealed under the
 * master key (keys/user-secrets.ts), never in the clear.
 */
export const HA1_PATTERN = /^[0-9a-f]{32}$/;
/** What older Sigils stored for "no password"; no browser produces it, and it is refused wherever an HA1 is given. */
export const ALL_ZEROS_HA1 = "0".repeat(32);

export function computeHa1(username: string, realm: string, password: string): string {
  return createHash("md5").update(`${username}:${realm}:${password}`).digest("hex");
}

/** Whether a given HA1 (lower-case) is well formed and could be a password's. */
export function isUsableHa1(value: string): boolean {
  return HA1_PATTERN.test(value) && value !== ALL_ZEROS_HA1;
}
