/**
 * mdoc element values are CBOR; relying parties read JSON. full-date (tag 1004) and tdate (tag 0)
 * become ISO strings, byte strings (portraits, signatures) base64url, maps objects (keys as strings);
 * numbers, text, booleans, null and arrays stay as they are.
 * @see ISO/IEC 18013-5:2021 §7.2.1 (data element encodings)
 */
import { DateOnly } from "@owf/mdoc";

export function toJsonValue(value: unknown, depth = 0): unknown {
  if (depth > 16) return null;
  if (value instanceof DateOnly) return value.toISOString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace(/\.000Z$/, "Z");
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64url");
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
  if (value instanceof Map) {
    const object: Record<string, unknown> = {};
    for (const [key, inner] of value) if (String(key) !== "__proto__") object[String(key)] = toJsonValue(inner, depth + 1);
    return object;
  }
  if (typeof value === "bigint") return value.toString();
  if (value === undefined) return null;
  return value;
}
