/**
 * The public-key operations of presentation checking, done with node:crypto (BoringSSL on Bun)
 * rather than WebCrypto: on Bun each WebCrypto call is handed to a thread pool and costs about
 * 45 µs of CPU on top of the operation itself, and a P-256 verify costs 48 µs here against 70–90 µs
 * through crypto.subtle (measured with scripts/bench-verifier.ts). The keys are KeyObjects, built
 * once per presentation (or once per issuer chain, in the trust store's cache).
 * Deliberately not here: anything but EC public keys and ECDSA; JWS header checks (the callers pin
 * `alg` and refuse `crit` before calling verifyCompactJws).
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3.2
 */
import { KeyObject, createHash, createPublicKey, verify } from "node:crypto";

export type EcCurve = "P-256" | "P-384" | "P-521";
export type EcdsaHash = "SHA-256" | "SHA-384" | "SHA-512";
/** A verification key: a node KeyObject (what the hot path builds), or a WebCrypto key from a caller. */
export type VerifyKey = KeyObject | CryptoKey;

const NODE_HASH: Record<EcdsaHash, string> = { "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
/** r||s length of an ECDSA signature per curve (RFC 7518 §3.4). */
const SIGNATURE_SIZE: Record<string, number> = { prime256v1: 64, secp384r1: 96, secp521r1: 132 };
const NODE_CURVE: Record<EcCurve, string> = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1" };

/**
 * A KeyObject for an EC public JWK of one of `curves`; throws when the point is malformed or not on
 * the curve (BoringSSL checks it), or when private members would come along.
 */
export function ecPublicKeyFromJwk(jwk: { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown }, curves: readonly EcCurve[] = ["P-256"]): KeyObject {
  const { kty, crv, x, y } = jwk;
  if (kty !== "EC" || !curves.includes(crv as EcCurve) || typeof x !== "string" || typeof y !== "string") throw new TypeError(`not an EC ${curves.join("/")} public key`);
  // Only the four public members, so a `d` in the input can never make this a private key.
  return createPublicKey({ key: { kty, crv: crv as string, x, y }, format: "jwk" });
}

/** The node curve name of an EC KeyObject, as the JOSE/COSE name; undefined for any other key. */
export function ecCurveOf(key: KeyObject): EcCurve | undefined {
  const named = key.asymmetricKeyType === "ec" ? key.asymmetricKeyDetails?.namedCurve : undefined;
  return (Object.keys(NODE_CURVE) as EcCurve[]).find((curve) => NODE_CURVE[curve] === named);
}

/**
 * True when `signature` (r||s, the JOSE and COSE form) is an ECDSA signature over `data` under `key`
 * with `hash`. A signature of the wrong size for the key's curve is false, never an exception.
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.4
 */
export function verifyEcdsa(hash: EcdsaHash, key: VerifyKey, data: Uint8Array, signature: Uint8Array): boolean {
  const keyObject = key instanceof KeyObject ? key : KeyObject.from(key);
  const size = SIGNATURE_SIZE[keyObject.asymmetricKeyDetails?.namedCurve ?? ""];
  if (keyObject.type !== "public" || size === undefined || signature.length !== size) return false;
  try {
    return verify(NODE_HASH[hash], data, { key: keyObject, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Verifies the signature of a compact JWS `<header>.<payload>.<signature>` with ES256/384/512 under
 * `key`; the caller has already read the header and pinned `alg`. The signing input is the ASCII
 * text of the first two parts, exactly as received.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.2
 */
export function verifyCompactJws(jws: string, hash: EcdsaHash, key: VerifyKey): boolean {
  const first = jws.indexOf(".");
  const second = jws.indexOf(".", first + 1);
  if (first < 0 || second < 0 || jws.indexOf(".", second + 1) >= 0) return false;
  const signature = jws.slice(second + 1);
  if (!BASE64URL.test(signature)) return false;
  return verifyEcdsa(hash, key, Buffer.from(jws.slice(0, second), "ascii"), Buffer.from(signature, "base64url"));
}

/**
 * RFC 7638 SHA-256 thumbprint of an EC public JWK: the required members crv, kty, x, y in
 * lexicographic order, no whitespace. Synchronous (jose's uses a WebCrypto digest).
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3.2
 */
export function ecJwkThumbprint(jwk: { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown }): Buffer {
  const { kty, crv, x, y } = jwk;
  if (kty !== "EC" || typeof crv !== "string" || typeof x !== "string" || typeof y !== "string") throw new TypeError("not an EC public JWK");
  return createHash("sha256").update(JSON.stringify({ crv, kty: "EC", x, y })).digest();
}
