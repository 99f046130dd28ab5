/**
 * Building and checking the certification path for an x5c chain: which
 * certificates signed which (by key, never by name), and the RFC 5280 §6.1
 * conditions on the resulting path. Each failure is a ChainError naming the
 * certificate (its index in x5c) and the condition.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1
 */
import { ChainError } from "./chain-error.ts";
import { issuerProblem, isSelfIssued, keyProblem, leafProblem, pathLenConstraint, signatureAlgorithmProblem } from "./certificate-profile.ts";
import type { TrustAnchor } from "./trust-store.ts";
import { isWithinValidity } from "./x509.ts";
import type { x509 } from "./x509.ts";

export interface CertificatePath {
  /** x5c[0..k]: the leaf, then each issuer up to the one the anchor signed. */
  chain: x509.X509Certificate[];
  anchor: TrustAnchor;
  /** x5c[0] is byte for byte an anchor: nothing in x5c issues it. */
  pinned?: boolean;
}

/**
 * Walks x5c from the leaf: stops at the first certificate a CA anchor's key
 * signed; otherwise the next certificate must be a CA whose key signed it.
 * Certificates after that point (the anchor itself, say) are ignored.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3 (a)(1)
 */
export async function findPath(certificates: x509.X509Certificate[], anchors: readonly TrustAnchor[]): Promise<CertificatePath> {
  for (let i = 0; i < certificates.length; i++) {
    const certificate = certificates[i]!;
    const anchor = await findSigningAnchor(certificate, i, anchors);
    if (anchor) return { chain: certificates.slice(0, i + 1), anchor };
    const next = certificates[i + 1];
    if (!next) break;
    const notIssuer = issuerProblem(next) ?? (await keyProblem(next));
    if (notIssuer) throw new ChainError(`certificate ${i + 1} in x5c issues certificate ${i} but ${notIssuer}`);
    if (!(await signedBy(certificate, i, next))) throw new ChainError(`certificate ${i} in x5c is not signed by certificate ${i + 1}`);
  }
  throw new ChainError("the x5c chain does not lead to a configured trust anchor");
}

/**
 * The conditions over a found path: every certificate and the anchor within
 * validity; the leaf fit to sign (not a CA, digitalSignature when keyUsage is
 * present); each CA's pathLenConstraint not exceeded by the non-self-issued
 * intermediates below it (the anchor's own constraint included, RFC 5937 §3).
 * Issuers were checked while the path was built. Returns the window in which
 * the whole path is valid, for the chain cache.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3 (a)(2)
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4 (l), (m)
 */
export function checkPath({ chain, anchor, pinned }: CertificatePath, now: Date): { validFrom: number; validUntil: number } {
  chain.forEach((certificate, i) => {
    if (!isWithinValidity(certificate, now)) throw new ChainError(`certificate ${i} in x5c is outside its validity period`);
  });
  if (!isWithinValidity(anchor.certificate, now)) throw new ChainError("the trust anchor is outside its validity period");
  const leaf = leafProblem(chain[0]!);
  if (leaf) throw new ChainError(`certificate 0 in x5c may not sign a credential: ${leaf}`);
  const issuers = pinned ? [] : [...chain.slice(1), anchor.certificate];
  issuers.forEach((issuer, p) => {
    const limit = pathLenConstraint(issuer);
    const below = chain.slice(1, p + 1).filter((certificate) => !isSelfIssued(certificate)).length;
    if (limit !== undefined && below > limit) {
      const name = p + 1 < chain.length ? `certificate ${p + 1} in x5c` : "the trust anchor";
      throw new ChainError(`${name} has pathLenConstraint ${limit} but ${below} intermediate CA certificate(s) below it`);
    }
  });
  const all = [...chain, anchor.certificate];
  return {
    validFrom: Math.max(...all.map((certificate) => certificate.notBefore.getTime())),
    validUntil: Math.min(...all.map((certificate) => certificate.notAfter.getTime())),
  };
}

/**
 * The CA anchor whose key signed `certificate`, if any. An end-entity anchor
 * whose key signed it is refused by name: it is trusted as itself only.
 */
async function findSigningAnchor(certificate: x509.X509Certificate, index: number, anchors: readonly TrustAnchor[]): Promise<TrustAnchor | undefined> {
  let endEntitySigner: TrustAnchor | undefined;
  for (const anchor of anchors) {
    if (!(await signedBy(certificate, index, anchor.certificate))) continue;
    if (anchor.role === "ca") return anchor;
    endEntitySigner = anchor;
  }
  if (endEntitySigner) throw new ChainError(`certificate ${index} in x5c is signed by an end-entity trust anchor, which is trusted only as an exact leaf`);
  return undefined;
}

/** Verifies the signature on `certificate` with the issuer's key, whatever its supported type (EC or RSA). */
async function signedBy(certificate: x509.X509Certificate, index: number, issuer: x509.X509Certificate): Promise<boolean> {
  const weak = signatureAlgorithmProblem(certificate);
  if (weak) throw new ChainError(`certificate ${index} in x5c is refused: ${weak}`);
  return certificate.verify({ publicKey: issuer, signatureOnly: true }).catch(() => false);
}
