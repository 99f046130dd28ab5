/**
 * Structural checks on disclosures that @sd-jwt 0.19 leaves out: every
 * disclosure referenced by exactly one digest, no digest repeated, no
 * disclosure naming `_sd` or `...`, object disclosures only under `_sd` and
 * array disclosures only under `...`, and a claim never disclosed over a
 * plaintext claim of the same name.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7.1
 */
import type { SDJwt } from "@sd-jwt/core";
import { PresentationError } from "./presentation-error.ts";

type Disclosure = NonNullable<SDJwt["disclosures"]>[number];

interface DigestedDisclosure {
  digest: string;
  disclosure: Disclosure;
}

type Reference = { kind: "object"; siblings: Set<string> } | { kind: "array" };

/** @see https://www.rfc-editor.org/rfc/rfc9901#section-7.1 (steps 3–5) */
export function checkDisclosures(payload: Record<string, unknown>, disclosures: readonly DigestedDisclosure[]): void {
  const byDigest = new Map<string, Disclosure>();
  for (const { digest, disclosure } of disclosures) {
    if (byDigest.has(digest)) throw new PresentationError("disclosure_duplicate", "the same disclosure is presented twice");
    if (disclosure.key === "_sd" || disclosure.key === "...") throw new PresentationError("disclosure_reserved_name", `a disclosure uses the reserved claim name ${disclosure.key}`);
    byDigest.set(digest, disclosure);
  }
  const references = new Map<string, Reference>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) {
        if (isArrayElementReference(item)) addReference(references, item["..."], { kind: "array" });
        else collect(item);
      }
      return;
    }
    if (!value || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    const sd = object._sd;
    if (sd !== undefined) {
      if (!Array.isArray(sd) || !sd.every((d) => typeof d === "string")) throw new PresentationError("disclosure_digest", "_sd must be an array of digests");
      const siblings = new Set(Object.keys(object).filter((k) => k !== "_sd"));
      for (const digest of sd as string[]) addReference(references, digest, { kind: "object", siblings });
    }
    for (const [key, child] of Object.entries(object)) if (key !== "_sd") collect(child);
  };
  collect(payload);
  for (const { disclosure } of disclosures) collect(disclosure.value);

  for (const { digest, disclosure } of disclosures) {
    const reference = references.get(digest);
    // An unreferenced disclosure is either injected or altered after issuance (its digest changed).
    if (!reference) throw new PresentationError("disclosure_digest", "a disclosure does not match any digest signed by the issuer");
    if (reference.kind === "object") {
      if (disclosure.key === undefined) throw new PresentationError("disclosure_digest", "an array-element disclosure is referenced as an object property");
      if (reference.siblings.has(disclosure.key)) throw new PresentationError("disclosure_duplicate", `claim ${disclosure.key} is disclosed over a plaintext claim`);
    } else if (disclosure.key !== undefined) {
      throw new PresentationError("disclosure_digest", "an object-property disclosure is referenced as an array element");
    }
  }
}

function addReference(references: Map<string, Reference>, digest: string, reference: Reference): void {
  if (references.has(digest)) throw new PresentationError("disclosure_duplicate", "the issuer-signed JWT repeats a digest");
  references.set(digest, reference);
}

function isArrayElementReference(item: unknown): item is { "...": string } {
  return !!item && typeof item === "object" && !Array.isArray(item) && Object.keys(item).length === 1 && typeof (item as Record<string, unknown>)["..."] === "string";
}
