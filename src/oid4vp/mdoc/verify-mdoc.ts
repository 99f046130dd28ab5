/**
 * Verifies one mso_mdoc presentation (a base64url DeviceResponse holding one document) in the order
 * of ISO/IEC 18013-5 §9.3.1: envelope, requested docType, IssuerAuth (x5chain to a trust anchor,
 * signature), MSO docType and validityInfo, every disclosed element's digest, the device signature
 * over this transaction's SessionTranscript, then the status list (the only network step, last).
 * Every failure is a PresentationError naming its check. Only elements the credential query asked
 * for are released; device-signed elements (self-asserted by the wallet) never are.
 * Deliberately not checked: KeyAuthorizations (OpenID4VP carries no device-signed data Sigil uses),
 * readerAuth (there is no reader certificate in OpenID4VP), deviceMac (refused).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2
 * @see ISO/IEC 18013-5:2021 §9.3.1 (inspection procedure for issuer data authentication)
 */
import type { JWK } from "jose";
import { ecJwkThumbprint } from "../ec-crypto.ts";
import { PresentationError } from "../presentation-error.ts";
import type { StatusListFetcher } from "../status-list.ts";
import type { TrustStore } from "../trust-store.ts";
import { asMap, mapGet } from "./cbor.ts";
import { checkDocType } from "./check-doctype.ts";
import { checkMdocStatus } from "./check-mdoc-status.ts";
import { checkValidityInfo } from "./check-validity-info.ts";
import { checkValueDigests } from "./check-value-digests.ts";
import { coseKeyToJwk } from "./cose-key.ts";
import { decodeDeviceResponse } from "./decode-device-response.ts";
import { toJsonValue } from "./json-value.ts";
import { verifyDeviceAuth } from "./verify-device-auth.ts";
import { verifyIssuerAuth } from "./verify-issuer-auth.ts";

export interface MdocExpectations {
  /** meta.doctype_value of the credential query. */
  docType: string;
  /** The CBOR encoding of this transaction's SessionTranscript (mdocSessionTranscript). */
  sessionTranscript: Uint8Array;
  /** [namespace, element] pairs the query asks for; undefined (no `claims` in the query) releases every disclosed element. */
  requested?: readonly (readonly [string, string])[];
  trust: TrustStore;
  now: number;
  statusLists: StatusListFetcher;
  /** Clock skew tolerated on validityInfo (default 60 s, as for SD-JWT VC). */
  skewSeconds?: number;
}

export interface VerifiedMdoc {
  format: "mso_mdoc";
  /** The docType, under the name the SD-JWT VC result uses for its type, so the account link key has one shape. */
  vct: string;
  docType: string;
  /** Released issuer-signed elements as JSON, by namespace: { namespace: { element: value } }. */
  claims: Record<string, Record<string, unknown>>;
  holderKey: JWK;
  /** RFC 7638 thumbprint of the MSO deviceKey. */
  holderKeyThumbprint: string;
  /** base64url SHA-256 of the document signer certificate. */
  issuerCertificateHash: string;
}

/** @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.5 */
export async function verifyMdoc(presentation: string, expected: MdocExpectations): Promise<VerifiedMdoc> {
  const { documents } = decodeDeviceResponse(presentation);
  if (documents.length !== 1) throw new PresentationError("mdoc_format", "an mdoc presentation must hold exactly one document");
  const document = documents[0]!;
  const documentDocType = mapGet(document, "docType");
  if (documentDocType !== expected.docType) checkDocType(documentDocType, undefined, expected.docType);
  const issuerSigned = asMap(mapGet(document, "issuerSigned"), "mdoc_format", "issuerSigned");

  const { mso, issuerCertificateHash } = await verifyIssuerAuth(mapGet(issuerSigned, "issuerAuth"), expected.trust, expected.now);
  if (mapGet(mso, "version") !== "1.0") throw new PresentationError("mdoc_format", "the MSO version is not 1.0");
  const docType = checkDocType(documentDocType, mapGet(mso, "docType"), expected.docType);
  checkValidityInfo(mapGet(mso, "validityInfo"), expected.now, expected.skewSeconds ?? 60);
  const disclosed = checkValueDigests(mso, mapGet(issuerSigned, "nameSpaces"));

  const deviceKey = mapGet(mapGet(mso, "deviceKeyInfo"), "deviceKey");
  const holderKey = coseKeyToJwk(deviceKey);
  await verifyDeviceAuth(mapGet(document, "deviceSigned"), deviceKey, docType, expected.sessionTranscript);
  await checkMdocStatus(mso, expected.statusLists, expected.trust, expected.now);

  return {
    format: "mso_mdoc",
    vct: docType,
    docType,
    claims: releasedElements(disclosed, expected.requested),
    holderKey,
    holderKeyThumbprint: ecJwkThumbprint(holderKey).toString("base64url"),
    issuerCertificateHash,
  };
}

/** Only the requested elements, as JSON; an element the wallet disclosed unasked goes no further. */
function releasedElements(disclosed: Record<string, Record<string, unknown>>, requested: MdocExpectations["requested"]): Record<string, Record<string, unknown>> {
  const released: Record<string, Record<string, unknown>> = {};
  for (const [namespace, elements] of Object.entries(disclosed)) {
    for (const [element, value] of Object.entries(elements)) {
      if (requested && !requested.some(([ns, el]) => ns === namespace && el === element)) continue;
      (released[namespace] ??= {})[element] = toJsonValue(value);
    }
  }
  return released;
}
