/**
 * COSE_Sign1 as mdocs use it: an untagged (or tag 18) array [protected bstr, unprotected map,
 * payload bstr / null when detached, signature bstr], ECDSA with alg -7 (ES256), -35 (ES384) or
 * -36 (ES512) from the protected header, signature r||s over
 * Sig_structure = ["Signature1", protected, external_aad = h'', payload]. The protected bytes and
 * the payload are used exactly as received. Deliberately not supported: EdDSA, counter signatures.
 * @see https://www.rfc-editor.org/rfc/rfc9052#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc9053#section-2.1
 */
import { PresentationError } from "../presentation-error.ts";
import type { PresentationCheck } from "../presentation-error.ts";
import { verifyEcdsa } from "../ec-crypto.ts";
import type { VerifyKey } from "../ec-crypto.ts";
import { asArray, asBytes, concatCbor, decodeCbor, mapGet } from "./cbor.ts";

export const COSE_ALGORITHMS = {
  [-7]: { name: "ES256", hash: "SHA-256", curve: "P-256", size: 64 },
  [-35]: { name: "ES384", hash: "SHA-384", curve: "P-384", size: 96 },
  [-36]: { name: "ES512", hash: "SHA-512", curve: "P-521", size: 132 },
} as const;
export type CoseAlgorithm = keyof typeof COSE_ALGORITHMS;
export const COSE_ALG_VALUES = [-7, -35, -36] as const;

const HEADER_ALG = 1;
/** external_aad: mdocs supply none (ISO/IEC 18013-5 §9.1.2.4, §9.1.3.6). */
const EMPTY = new Uint8Array(0);
const HEADER_X5CHAIN = 33;

export interface CoseSign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  payload: Uint8Array | null;
  signature: Uint8Array;
  alg: CoseAlgorithm;
}

/** Reads the four parts and the algorithm; `check` names what a malformed structure fails. */
export function parseCoseSign1(value: unknown, check: PresentationCheck, what: string): CoseSign1 {
  const parts = asArray(value, check, what);
  if (parts.length !== 4) throw new PresentationError(check, `${what} is not a COSE_Sign1 (4 elements)`);
  const protectedBytes = asBytes(parts[0], check, `${what} protected header`);
  const protectedHeader = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes, check, `${what} protected header`);
  if (!(protectedHeader instanceof Map)) throw new PresentationError(check, `${what} protected header is not a map`);
  const unprotectedHeader = parts[1];
  if (!(unprotectedHeader instanceof Map)) throw new PresentationError(check, `${what} unprotected header is not a map`);
  const payload = parts[2] === null ? null : asBytes(parts[2], check, `${what} payload`);
  const signature = asBytes(parts[3], check, `${what} signature`);
  // RFC 9052 §3.1: alg must be protected, so that it cannot be swapped.
  const alg = protectedHeader.get(HEADER_ALG);
  if (typeof alg !== "number" || !(alg in COSE_ALGORITHMS)) throw new PresentationError("mdoc_alg", `${what} alg ${String(alg)} is not ES256, ES384 or ES512`);
  return { protectedBytes, protectedHeader, unprotectedHeader, payload, signature, alg: alg as CoseAlgorithm };
}

/** x5chain (label 33): one certificate or an array, leaf first, as standard base64 DER (the x5c form the chain code takes). */
export function readX5chain(sign1: CoseSign1, check: PresentationCheck): string[] {
  const raw = mapGet(sign1.unprotectedHeader, HEADER_X5CHAIN) ?? mapGet(sign1.protectedHeader, HEADER_X5CHAIN);
  const list = raw instanceof Uint8Array ? [raw] : Array.isArray(raw) ? raw : null;
  if (!list || list.length === 0 || !list.every((entry) => entry instanceof Uint8Array)) throw new PresentationError(check, "the IssuerAuth carries no x5chain");
  return (list as Uint8Array[]).map((der) => Buffer.from(der).toString("base64"));
}

/**
 * True when the signature verifies under `key` over the Sig_structure; `detachedPayload` is used when the payload is null.
 * @see https://www.rfc-editor.org/rfc/rfc9052#section-4.4
 */
export async function verifyCoseSign1(sign1: CoseSign1, key: VerifyKey, detachedPayload?: Uint8Array): Promise<boolean> {
  const payload = sign1.payload ?? detachedPayload;
  if (!payload) return false;
  const { hash, size } = COSE_ALGORITHMS[sign1.alg];
  if (sign1.signature.length !== size) return false;
  const toBeSigned = concatCbor([{ arrayOf: 4 }, { text: "Signature1" }, { bytes: sign1.protectedBytes }, { bytes: EMPTY }, { bytes: payload }]);
  // verifyEcdsa also refuses a key whose curve does not fit the signature size, so ES256 never verifies under a P-384 key.
  return verifyEcdsa(hash, key, toBeSigned, sign1.signature);
}
