// HA1 = MD5(username:realm:password): the only thing the browser ever sends for a password.
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export function computeHa1(username: string, realm: string, password: string): string {
  return bytesToHex(md5(new TextEncoder().encode(`${username}:${realm}:${password}`)));
}
