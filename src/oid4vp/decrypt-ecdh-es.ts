/**
 * Compact JWE decryption for the one algorithm a wallet's response uses: direct key agreement
 * ECDH-ES on the transaction's EC key, content encrypted with A128GCM or A256GCM. Written on
 * node:crypto instead of jose because jose's path makes six WebCrypto calls per response (two key
 * imports, ECDH, the Concat KDF digest, the AES key import, AES-GCM), each a thread-pool hop of about
 * 45 µs of CPU on Bun; here it is one ECDH and a few microseconds. decrypt-ecdh-es.test.ts opens
 * jose's CompactEncrypt output and refuses each tampered token jose refuses. What jose checks that this keeps: no JWE
 * Encrypted Key, `epk` a public key on the private key's curve (a point off the curve is refused),
 * distinct apu/apv, a 96-bit IV, a 128-bit tag, the protected header as AAD.
 * What it refuses that jose accepts: `zip` (no wallet compresses a response; inflating attacker input
 * is avoidable work) and any `crit`.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-4.6
 * @see https://www.rfc-editor.org/rfc/rfc7516#section-5.2
 */
import { createDecipheriv, createHash, createPrivateKey, diffieHellman } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { ecPublicKeyFromJwk } from "./ec-crypto.ts";
import type { EcCurve } from "./ec-crypto.ts";

export type ContentEncryption = "A128GCM" | "A256GCM";

const CEK_BITS: Record<ContentEncryption, number> = { A128GCM: 128, A256GCM: 256 };
const PRIVATE_MEMBERS = ["d", "k", "p", "q", "dp", "dq", "qi", "oth", "priv"];
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Why a JWE was refused: `format` (not a well-formed ECDH-ES JWE), `alg` (alg/enc/header not accepted), `decrypt` (key agreement or authentication failed). */
export class JweError extends Error {
  constructor(readonly reason: "format" | "alg" | "decrypt", message: string) {
    super(message);
  }
}

export interface PrivateEcJwk {
  kty?: unknown;
  crv?: unknown;
  x?: unknown;
  y?: unknown;
  d?: unknown;
}

/**
 * Decrypts `jwe` with the private EC key; `encs` are the content encryptions accepted. Returns the
 * plaintext and the protected header. Throws JweError.
 * @see https://www.rfc-editor.org/rfc/rfc7516#section-5.2
 */
export function decryptEcdhEs(jwe: string, privateJwk: PrivateEcJwk, encs: readonly ContentEncryption[]): { plaintext: Buffer; header: Record<string, unknown> } {
  const parts = jwe.split(".");
  if (parts.length !== 5 || !parts.every((part) => BASE64URL.test(part))) throw new JweError("format", "not a compact JWE");
  const [protectedB64, encryptedKey, ivB64, ciphertextB64, tagB64] = parts as [string, string, string, string, string];
  const header = readHeader(protectedB64);
  if (header.alg !== "ECDH-ES") throw new JweError("alg", `JWE alg ${String(header.alg)} is not ECDH-ES`);
  const enc = header.enc as ContentEncryption;
  if (!encs.includes(enc)) throw new JweError("alg", `JWE enc ${String(header.enc)} is not accepted`);
  if (header.crit !== undefined) throw new JweError("alg", "JWE crit extensions are not supported");
  if (header.zip !== undefined) throw new JweError("alg", "compressed JWE (zip) is not accepted");
  // Direct key agreement: the CEK is derived, never carried (RFC 7518 §4.6).
  if (encryptedKey !== "") throw new JweError("format", "an ECDH-ES JWE carries no encrypted key");
  const iv = Buffer.from(ivB64, "base64url");
  const tag = Buffer.from(tagB64, "base64url");
  if (iv.length !== 12) throw new JweError("format", "the JWE IV is not 96 bits");
  if (tag.length !== 16) throw new JweError("format", "the JWE authentication tag is not 128 bits");

  const crv = privateJwk.crv as EcCurve;
  const epk = header.epk;
  if (!epk || typeof epk !== "object" || Array.isArray(epk) || PRIVATE_MEMBERS.some((member) => Object.hasOwn(epk, member))) {
    throw new JweError("format", "the JWE epk is missing or not a public key");
  }
  if ((epk as { crv?: unknown }).crv !== crv) throw new JweError("decrypt", "the JWE epk is not on the key's curve");
  let ephemeral: KeyObject;
  let own: KeyObject;
  try {
    ephemeral = ecPublicKeyFromJwk(epk as Record<string, unknown>, [crv]);
  } catch {
    throw new JweError("decrypt", "the JWE epk is not a valid point on the key's curve");
  }
  try {
    const { kty, x, y, d } = privateJwk;
    own = createPrivateKey({ key: { kty: kty as string, crv, x: x as string, y: y as string, d: d as string }, format: "jwk" });
  } catch {
    throw new JweError("decrypt", "the decryption key is unusable");
  }
  const apu = partyInfo(header.apu, "apu");
  const apv = partyInfo(header.apv, "apv");
  if (apu.length > 0 && apu.equals(apv)) throw new JweError("format", "JWE apu and apv must differ");

  const cek = concatKdf(diffieHellman({ privateKey: own, publicKey: ephemeral }), enc, apu, apv);
  try {
    const decipher = createDecipheriv(enc === "A128GCM" ? "aes-128-gcm" : "aes-256-gcm", cek, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(protectedB64, "ascii"));
    decipher.setAuthTag(tag);
    return { plaintext: Buffer.concat([decipher.update(Buffer.from(ciphertextB64, "base64url")), decipher.final()]), header };
  } catch {
    throw new JweError("decrypt", "the JWE does not decrypt under this key");
  }
}

function readHeader(protectedB64: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedB64, "base64url").toString("utf8"));
  } catch {
    throw new JweError("format", "the JWE protected header is not JSON");
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) throw new JweError("format", "the JWE protected header is not a JSON object");
  return header as Record<string, unknown>;
}

function partyInfo(value: unknown, name: string): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  if (typeof value !== "string" || !BASE64URL.test(value)) throw new JweError("format", `the JWE ${name} is not base64url`);
  return Buffer.from(value, "base64url");
}

/**
 * The Concat KDF of NIST SP 800-56A §5.8.1 as RFC 7518 §4.6.2 fixes it for direct ECDH-ES:
 * AlgorithmID = enc, PartyUInfo = apu, PartyVInfo = apv, SuppPubInfo = key length in bits; one
 * SHA-256 round covers both key sizes.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-4.6.2
 */
function concatKdf(z: Buffer, enc: ContentEncryption, apu: Buffer, apv: Buffer): Buffer {
  const bits = CEK_BITS[enc];
  const lengthPrefixed = (bytes: Buffer) => Buffer.concat([uint32(bytes.length), bytes]);
  return createHash("sha256")
    .update(uint32(1))
    .update(z)
    .update(lengthPrefixed(Buffer.from(enc, "ascii")))
    .update(lengthPrefixed(apu))
    .update(lengthPrefixed(apv))
    .update(uint32(bits))
    .digest()
    .subarray(0, bits / 8);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
