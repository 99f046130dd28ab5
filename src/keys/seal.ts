import { decodeBase64Url, encodeBase64Url } from "../lib/base64url.ts";

/**
 * Private keys at rest: AES-256-GCM under a key derived from the master secret,
 * with the tenant and kid as additional data so a sealed key cannot be moved to another row.
 * Format: v1.<iv>.<ciphertext+tag>, base64url.
 */
export async function sealPrivateJwk(aesKey: CryptoKey, jwk: JsonWebKey, binding: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(jwk));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(binding) }, aesKey, plaintext);
  return `v1.${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(ciphertext))}`;
}

export async function openPrivateJwk(aesKey: CryptoKey, sealed: string, binding: string): Promise<JsonWebKey> {
  const [version, iv, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !ciphertext) throw new Error("sealed key has an unknown format");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: decodeBase64Url(iv) as BufferSource, additionalData: new TextEncoder().encode(binding) },
    aesKey,
    decodeBase64Url(ciphertext) as BufferSource,
  );
  return JSON.parse(new TextDecoder().decode(plaintext)) as JsonWebKey;
}
