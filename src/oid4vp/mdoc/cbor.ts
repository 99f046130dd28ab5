/**
 * The one door to the CBOR codec (cbor-x, as configured by @owf/mdoc: maps stay Maps, tag 24
 * becomes a DataItem holding the embedded bytes exactly as received) and small readers that turn
 * "not the shape ISO 18013-5 says" into a PresentationError instead of a TypeError.
 * @see https://www.rfc-editor.org/rfc/rfc8949#section-3.4.5.1
 */
import { DataItem, cborDecode, cborEncode } from "@owf/mdoc";
import { PresentationError } from "../presentation-error.ts";
import type { PresentationCheck } from "../presentation-error.ts";

export { DataItem, cborEncode };

/** Decodes untrusted CBOR; a malformed item is a PresentationError under `check`. */
export function decodeCbor(bytes: Uint8Array, check: PresentationCheck, what: string): unknown {
  try {
    return cborDecode<unknown>(bytes, { unwrapTopLevelDataItem: false } as Parameters<typeof cborDecode>[1]);
  } catch (error) {
    throw new PresentationError(check, `${what} is not valid CBOR`, { internal: error instanceof Error ? error.message : String(error) });
  }
}

/** The value under `key` of a CBOR map; absent keys give undefined. */
export function mapGet(value: unknown, key: string | number): unknown {
  return value instanceof Map ? value.get(key) : undefined;
}

export function asMap(value: unknown, check: PresentationCheck, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw new PresentationError(check, `${what} is not a CBOR map`);
  return value;
}

export function asBytes(value: unknown, check: PresentationCheck, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new PresentationError(check, `${what} is not a byte string`);
  return value;
}

export function asText(value: unknown, check: PresentationCheck, what: string): string {
  if (typeof value !== "string") throw new PresentationError(check, `${what} is not a text string`);
  return value;
}

export function asArray(value: unknown, check: PresentationCheck, what: string): unknown[] {
  if (!Array.isArray(value)) throw new PresentationError(check, `${what} is not a CBOR array`);
  return value;
}

/** A tag-24 embedded item (`bstr .cbor`); its inner bytes are kept as received. */
export function asDataItem(value: unknown, check: PresentationCheck, what: string): DataItem<unknown> {
  if (!(value instanceof DataItem)) throw new PresentationError(check, `${what} is not an embedded CBOR item (tag 24)`);
  return value;
}

/** The inner item of a tag-24 DataItem, decoded from its bytes as received. */
export function dataItemContent(item: DataItem<unknown>, check: PresentationCheck, what: string): unknown {
  return decodeCbor(item.buffer, check, what);
}

/**
 * The head of `#6.24(bstr)` for embedded bytes of this length: tag 24 (0xd8 0x18), then the byte
 * string's head in the preferred (shortest) form of RFC 8949 §4.1 / §3.1. Hashing this head and then
 * the embedded bytes as received is hashing the tagged item without re-encoding the inner item (map
 * order, integer and float widths stay the wallet's), and without building a CBOR encoder per element.
 * @see https://www.rfc-editor.org/rfc/rfc8949#section-3
 */
export function tag24Head(length: number): Uint8Array {
  return new Uint8Array([0xd8, 0x18, ...cborHead(2, length)]);
}

/**
 * The head of a CBOR item of major type `major` (2 byte string, 3 text string, 4 array) with this
 * length or count, in the preferred (shortest) form of RFC 8949 §4.2.1, the deterministic encoding
 * COSE asks for in Sig_structure (RFC 9052 §9).
 * @see https://www.rfc-editor.org/rfc/rfc8949#section-3.1
 */
export function cborHead(major: 2 | 3 | 4, length: number): number[] {
  const type = major << 5;
  if (length < 24) return [type | length];
  if (length < 0x100) return [type | 24, length];
  if (length < 0x10000) return [type | 25, length >> 8, length & 0xff];
  return [type | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/** One pre-encoded part of a structure written by concatCbor: bytes as they are, or a byte or text string to encode. */
export type CborPart = { raw: Uint8Array } | { bytes: Uint8Array } | { text: string } | { arrayOf: number };

/** The simple value null (RFC 8949 §3.3). */
export const CBOR_NULL: CborPart = { raw: new Uint8Array([0xf6]) };

/**
 * The fixed structures the verifier signs or hashes (Sig_structure, DeviceAuthentication,
 * OpenID4VP handover info) written directly: @owf/mdoc's cborEncode builds a cbor-x Encoder per
 * call, about 18 µs each, several times per presentation. Embedded items (`raw`) keep their bytes
 * as received. cbor.test.ts checks the output byte for byte against cborEncode.
 * @see https://www.rfc-editor.org/rfc/rfc8949#section-4.2.1
 */
export function concatCbor(parts: readonly CborPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    if ("raw" in part) chunks.push(part.raw);
    else if ("arrayOf" in part) chunks.push(new Uint8Array(cborHead(4, part.arrayOf)));
    else {
      const bytes = "text" in part ? Buffer.from(part.text, "utf8") : part.bytes;
      chunks.push(new Uint8Array(cborHead("text" in part ? 3 : 2, bytes.length)), bytes);
    }
  }
  return Buffer.concat(chunks);
}
