/**
 * HA1 = MD5(username:realm:password), the digest that SIP and HTTP Digest store
 * (RFC 2617 §3.2.2.2). Sigil stores only this and the browser sends only this.
 */
export const HA1_PATTERN = /^[0-9a-f]{32}$/;
export const ALL_ZEROS_HA1 = "0".repeat(32);

export function computeHa1(username: string, realm: string, password: string): string {
  return new Bun.CryptoHasher("md5").update(`${username}:${realm}:${password}`).digest("hex");
}

export function isUsableHa1(value: string): boolean {
  return HA1_PATTERN.test(value) && value !== ALL_ZEROS_HA1;
}
