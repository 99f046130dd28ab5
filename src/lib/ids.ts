import { createHash } from "node:crypto";
import { encodeBase64Url } from "./base64url.ts";

/** A URL-safe random identifier with `bytes` bytes of entropy (default 32 = 256 bits). */
export function randomId(bytes = 32): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase64Url(buffer);
}

/** SHA-256 of a string as base64url: how single-use secrets are stored (a leaked table gives nothing usable). */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}
