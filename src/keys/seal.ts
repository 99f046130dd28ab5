import { decodeBase64Url, encodeBase64Url } from "../lib/base64url.ts";

/**
 * Secrets at rest (private keys, TOTP seeds): AES-256-GCM under a key derived from the
 * master secret, with a binding (tenant and row) as additional data so a sealed value
 * cannot be moved to another row. Format: v1.<iv>.<ciphertext+tag>, base64url.
 */
export async function sealText(aesKey: CryptoKey, plaintext: string, binding: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(binding) },
    aesKey,
    new TextEncoder().encode(plaintext),
  );
  return `v1.${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(ciphertext))}`;
}

export async function openText(aesKey: CryptoKey, sealed: string, binding: string): Promise<string> {
  const [version, iv, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !ciphertext) throw new Error("sealed value has an unknown format");
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: decodeBase64Url(iv) as BufferSource, additionalData: new TextEncoder().encode(binding) },
    aesKey,
    decodeBase64Url(ciphertext) as BufferSource,
  );
  return new TextDecoder().decode(plaintext);
}

export async function sealPrivateJwk(aesKey: CryptoKey, jwk: JsonWebKey, binding: string): Promise<string> {
  return sealText(aesKey, JSON.stringify(jwk), binding);
}

export async function openPrivateJwk(aesKey: CryptoKey, sealed: string, binding: string): Promise<JsonWebKey> {
  return JSON.parse(await openText(aesKey, sealed, binding)) as JsonWebKey;
}
