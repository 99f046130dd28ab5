/**
 * IssuerAuth: the COSE_Sign1 by which the issuer signs the MobileSecurityObject. Its x5chain is
 * validated to a tenant trust anchor with the same chain code as SD-JWT VC issuers (RFC 5280 path,
 * key usage, validity at `now`); its signature must verify under the leaf key with the protected
 * alg, whose curve must be the leaf's. The payload is MobileSecurityObjectBytes (tag 24).
 * @see ISO/IEC 18013-5:2021 §9.1.2.4 (signing method and structure for MSO)
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-6.1.1
 */
import { createHash } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { PresentationError } from "../presentation-error.ts";
import { ChainError, verifyCertificateChain } from "../trust-store.ts";
import type { TrustStore } from "../trust-store.ts";
import { asDataItem, asMap, dataItemContent, decodeCbor } from "./cbor.ts";
import { COSE_ALGORITHMS, parseCoseSign1, readX5chain, verifyCoseSign1 } from "./cose-sign1.ts";

export interface VerifiedIssuerAuth {
  mso: Map<unknown, unknown>;
  /** base64url SHA-256 of the leaf (document signer) certificate, as for SD-JWT VC issuers. */
  issuerCertificateHash: string;
  alg: number;
}

/** @see ISO/IEC 18013-5:2021 §9.1.2.4 */
export async function verifyIssuerAuth(issuerAuth: unknown, trust: TrustStore, now: number): Promise<VerifiedIssuerAuth> {
  const sign1 = parseCoseSign1(issuerAuth, "mdoc_format", "the IssuerAuth");
  if (!sign1.payload) throw new PresentationError("mdoc_format", "the IssuerAuth has no payload");
  const x5c = readX5chain(sign1, "issuer_trust");
  let key: KeyObject;
  try {
    key = await verifyCertificateChain(x5c, trust, new Date(now * 1000), [COSE_ALGORITHMS[sign1.alg].curve]);
  } catch (error) {
    throw new PresentationError("issuer_trust", "the mdoc issuer is not trusted", { internal: error instanceof ChainError ? error.message : String(error) });
  }
  if (!(await verifyCoseSign1(sign1, key))) throw new PresentationError("credential_signature", "the mdoc's IssuerAuth signature does not verify");
  // Only now, with the signature checked, is the payload worth decoding.
  const tagged = asDataItem(decodeCbor(sign1.payload, "mdoc_format", "the MobileSecurityObjectBytes"), "mdoc_format", "the MobileSecurityObjectBytes");
  const mso = asMap(dataItemContent(tagged, "mdoc_format", "the MobileSecurityObject"), "mdoc_format", "the MobileSecurityObject");
  return { mso, issuerCertificateHash: createHash("sha256").update(Buffer.from(x5c[0]!, "base64")).digest("base64url"), alg: sign1.alg };
}
