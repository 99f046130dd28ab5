import { existsSync, readFileSync, writeFileSync, chmodSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodeBase64Url, encodeBase64Url } from "../lib/base64url.ts";

/**
 * The master secret that encrypts private keys at rest: given by configuration
 * (SIGIL_MASTER_KEY), or kept in DATA/master.key with mode 0600, made on first need.
 */
export function loadMasterSecret(dataDir: string, configured: string | null): Uint8Array {
  if (configured) return decodeBase64Url(configured);
  const path = join(dataDir, "master.key");
  if (!existsSync(path)) {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    // wx: never overwrite a key another process made a moment ago.
    try {
      writeFileSync(path, encodeBase64Url(secret) + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const text = readFileSync(path, "utf8").trim();
  const secret = decodeBase64Url(text);
  if (secret.length < 32) throw new Error(`${path} does not hold a 32-byte key`);
  return secret;
}

/** Derives a purpose-bound key from the master secret (HKDF-SHA-256), so no two uses share a key. */
export async function deriveKey(master: Uint8Array, purpose: string, usage: "aes" | "hmac"): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", master as BufferSource, "HKDF", false, ["deriveKey"]);
  const params = { name: "HKDF", hash: "SHA-256", salt: new TextEncoder().encode("sigil/v1"), info: new TextEncoder().encode(purpose) };
  return usage === "aes"
    ? crypto.subtle.deriveKey(params, base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
    : crypto.subtle.deriveKey(params, base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]);
}
