/**
 * A test mdoc issuer, shaped after ISO/IEC 18013-5:2021: an IACA-like root (§B.1.2, generated per
 * run) and a document signer certificate under it (§B.1.4); IssuerSigned = { nameSpaces:
 * { ns: [IssuerSignedItemBytes] }, issuerAuth: COSE_Sign1 over MobileSecurityObjectBytes } (§8.3.2.1.2.2,
 * §9.1.2.4), with x5chain in the unprotected header (label 33, RFC 9360). Each IssuerSignedItem gets
 * a random salt and a digestID, and the MSO lists SHA-256 over each tagged item. The status
 * reference uses the Token Status List of an SD-JWT test issuer (its list, its signer).
 * Switches for tests: another docType, an expired MSO, a digest left out, an impostor CA.
 */
import { DataItem, DateOnly, cborEncode } from "@owf/mdoc";
import type { JWK } from "jose";
import { createTestCa, issueLeaf } from "./test-pki.ts";
import type { TestCa, TestCurve, TestLeaf } from "./test-pki.ts";
import type { TestIssuer } from "./test-issuer.ts";

export const PID_DOCTYPE = "eu.europa.ec.eudi.pid.1";
export const PID_NAMESPACE = "eu.europa.ec.eudi.pid.1";
export const MDL_DOCTYPE = "org.iso.18013.5.1.mDL";
export const MDL_NAMESPACE = "org.iso.18013.5.1";

/** PID Rule Book (EUDI ARF Annex 3.1) mdoc data elements of the test person, in namespace eu.europa.ec.eudi.pid.1. */
export const DEFAULT_MDOC_PID: Record<string, unknown> = {
  family_name: "Mustermann",
  given_name: "Erika",
  birth_date: new DateOnly("1964-08-12"),
  place_of_birth: new Map([["locality", "Berlin"]]),
  nationality: ["DE"],
  personal_administrative_number: "0123456789",
  age_over_18: true,
};

/** ISO/IEC 18013-5 §7.2.1 mDL data elements, namespace org.iso.18013.5.1. */
export const DEFAULT_MDL: Record<string, unknown> = {
  family_name: "Mustermann",
  given_name: "Erika",
  birth_date: new DateOnly("1964-08-12"),
  issue_date: new DateOnly("2024-01-01"),
  expiry_date: new DateOnly("2034-01-01"),
  issuing_country: "DE",
  document_number: "T22000129",
  driving_privileges: [new Map<string, unknown>([["vehicle_category_code", "B"]])],
};

export interface MdocIssueOptions {
  docType: string;
  namespaces: Record<string, Record<string, unknown>>;
  /** The holder's device key (public, P-256 JWK). */
  deviceJwk: JWK;
  /** Seconds since the epoch; defaults: valid from a minute ago for a year. */
  validFrom?: number;
  validUntil?: number;
  /** Index in the SD-JWT test issuer's status list; omitted: no status reference. */
  statusIdx?: number;
  /** Leave this element's digest out of the MSO (the item is still handed to the holder). */
  omitDigestFor?: string;
}

export interface IssuedMdoc {
  docType: string;
  /** namespace → the tagged IssuerSignedItemBytes, as the holder stores and later presents them. */
  items: Record<string, DataItem<Map<string, unknown>>[]>;
  issuerAuth: [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
}

export interface MdocIssuer {
  iaca: TestCa;
  signer: TestLeaf;
  issue(options: MdocIssueOptions): Promise<IssuedMdoc>;
}

/** COSE_Key (RFC 9053 §7.1.1) of a P-256 JWK. */
export function jwkToCoseKey(jwk: JWK): Map<number, unknown> {
  return new Map<number, unknown>([[1, 2], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]].map(([k, v]) => [k as number, v instanceof Buffer ? new Uint8Array(v) : v]));
}

/** COSE algorithm of each signing curve (RFC 9053 §2.1: ES256 -7, ES384 -35, ES512 -36) and its hash. */
const COSE_ALG: Record<TestCurve, { alg: number; hash: string }> = { "P-256": { alg: -7, hash: "SHA-256" }, "P-384": { alg: -35, hash: "SHA-384" }, "P-521": { alg: -36, hash: "SHA-512" } };

/** COSE_Sign1 (RFC 9052 §4.2) with the key's curve's ECDSA (ES256/384/512): Sig_structure ["Signature1", protected, h'', payload]. */
export async function signCose(privateKey: CryptoKey, payload: Uint8Array, unprotected: Map<number, unknown>, detached = false) {
  const { alg, hash } = COSE_ALG[(privateKey.algorithm as EcKeyAlgorithm).namedCurve as TestCurve];
  const protectedBytes = cborEncode(new Map([[1, alg]]));
  const toBeSigned = cborEncode(["Signature1", protectedBytes, new Uint8Array(0), payload]);
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash }, privateKey, new Uint8Array(toBeSigned)));
  return [protectedBytes, unprotected, detached ? null : payload, signature] as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
}

/** `curve`: the IACA's and the document signer's key, hence IssuerAuth ES256 (default), ES384 or ES512. */
export async function createMdocIssuer(statusSource?: TestIssuer, options: { iacaName?: string; curve?: TestCurve } = {}): Promise<MdocIssuer> {
  const iaca = await createTestCa(options.iacaName ?? "CN=Sigil Test IACA, O=Sigil tests, C=DE", options.curve);
  const signer = await issueLeaf(iaca, { subject: "CN=Sigil Test Document Signer, O=Sigil tests, C=DE", curve: options.curve });
  return {
    iaca,
    signer,
    async issue(o) {
      const now = Math.floor(Date.now() / 1000);
      const items: IssuedMdoc["items"] = {};
      const valueDigests = new Map<string, Map<number, Uint8Array>>();
      let digestId = 0;
      for (const [namespace, elements] of Object.entries(o.namespaces)) {
        const digests = new Map<number, Uint8Array>();
        items[namespace] = [];
        for (const [elementIdentifier, elementValue] of Object.entries(elements)) {
          const item = new Map<string, unknown>([
            ["digestID", digestId], ["random", crypto.getRandomValues(new Uint8Array(16))], ["elementIdentifier", elementIdentifier], ["elementValue", elementValue],
          ]);
          const tagged = DataItem.fromData(item);
          items[namespace].push(tagged);
          if (elementIdentifier !== o.omitDigestFor) digests.set(digestId, new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(cborEncode(tagged)))));
          digestId++;
        }
        valueDigests.set(namespace, digests);
      }
      const mso = new Map<string, unknown>([
        ["version", "1.0"],
        ["digestAlgorithm", "SHA-256"],
        ["valueDigests", valueDigests],
        ["deviceKeyInfo", new Map([["deviceKey", jwkToCoseKey(o.deviceJwk)]])],
        ["docType", o.docType],
        ["validityInfo", new Map([
          ["signed", new Date((o.validFrom ?? now - 60) * 1000)],
          ["validFrom", new Date((o.validFrom ?? now - 60) * 1000)],
          ["validUntil", new Date((o.validUntil ?? now + 365 * 86400) * 1000)],
        ])],
      ]);
      if (o.statusIdx !== undefined && statusSource) mso.set("status", new Map([["status_list", new Map<string, unknown>([["idx", o.statusIdx], ["uri", statusSource.statusListUri]])]]));
      const payload = cborEncode(DataItem.fromData(mso));
      const x5chain = new Uint8Array(signer.certificate.rawData);
      const issuerAuth = await signCose(signer.keys.privateKey, payload, new Map([[33, x5chain]]));
      return { docType: o.docType, items, issuerAuth };
    },
  };
}
