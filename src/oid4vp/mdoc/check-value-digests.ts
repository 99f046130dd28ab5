/**
 * Every disclosed IssuerSignedItemBytes must hash, with the MSO's digestAlgorithm, to the digest the
 * issuer signed for its namespace and digestID. The hash covers the tag-24 item with its embedded
 * bytes exactly as received; the element is read from those same bytes, so what is hashed is what
 * is released. A namespace or digestID the MSO does not list, and an element disclosed twice, are
 * refused. Returns the disclosed elements as { namespace: { element: value } }.
 * @see ISO/IEC 18013-5:2021 §9.1.2.4 (ValueDigests) and §9.3.1 step 3
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { PresentationError } from "../presentation-error.ts";
import { asArray, asDataItem, asMap, asText, dataItemContent, mapGet, tag24Head } from "./cbor.ts";

const DIGEST_ALGORITHMS: Record<string, string> = { "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

export type DisclosedElements = Record<string, Record<string, unknown>>;

/** @see ISO/IEC 18013-5:2021 §9.3.1 */
export function checkValueDigests(mso: Map<unknown, unknown>, issuerNameSpaces: unknown): DisclosedElements {
  const algorithm = DIGEST_ALGORITHMS[String(mapGet(mso, "digestAlgorithm"))];
  if (!algorithm) throw new PresentationError("mdoc_digest", `the MSO digestAlgorithm ${String(mapGet(mso, "digestAlgorithm"))} is not SHA-256, SHA-384 or SHA-512`);
  const valueDigests = asMap(mapGet(mso, "valueDigests"), "mdoc_format", "the MSO valueDigests");
  const disclosed: DisclosedElements = {};
  if (issuerNameSpaces === undefined) return disclosed;
  for (const [namespace, items] of asMap(issuerNameSpaces, "mdoc_format", "issuerSigned.nameSpaces")) {
    const ns = asText(namespace, "mdoc_format", "a namespace");
    const signed = mapGet(valueDigests, ns);
    if (!(signed instanceof Map)) throw new PresentationError("mdoc_digest", `the issuer signed no digests for namespace ${ns}`);
    const elements: Record<string, unknown> = (disclosed[ns] = Object.create(null) as Record<string, unknown>);
    for (const entry of asArray(items, "mdoc_format", `namespace ${ns}`)) {
      const tagged = asDataItem(entry, "mdoc_format", "an IssuerSignedItemBytes");
      const item = asMap(dataItemContent(tagged, "mdoc_format", "an IssuerSignedItem"), "mdoc_format", "an IssuerSignedItem");
      const digestId = mapGet(item, "digestID");
      const name = asText(mapGet(item, "elementIdentifier"), "mdoc_format", "an elementIdentifier");
      const expected = signed.get(digestId);
      if (!(expected instanceof Uint8Array)) throw new PresentationError("mdoc_digest", `${ns}/${name} has no digest in the MSO`);
      const actual = createHash(algorithm).update(tag24Head(tagged.buffer.length)).update(tagged.buffer).digest();
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new PresentationError("mdoc_digest", `${ns}/${name} does not match its signed digest`);
      if (Object.hasOwn(elements, name)) throw new PresentationError("mdoc_digest", `${ns}/${name} is disclosed twice`);
      elements[name] = mapGet(item, "elementValue");
    }
  }
  return disclosed;
}
