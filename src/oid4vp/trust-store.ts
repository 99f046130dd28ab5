/**
 * Trust anchors for credential and status-list issuers, and the one function
 * that judges an `x5c` chain against them. Chains are judged by signatures and
 * validity periods, never by names: an untrusted root may carry a trusted
 * root's subject. A certificate is never trusted for having arrived in `x5c`.
 * What it deliberately does not check: revocation of the chain's certificates
 * (no CRL/OCSP fetching), name constraints, policy OIDs.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-6.1.1
 */
import { certificateFromX5c, isWithinValidity, x509 } from "./x509.ts";

export interface TrustAnchor {
  certificate: x509.X509Certificate;
  /** Imported once; verification calls reuse it. */
  publicKey: CryptoKey;
  der: string;
}

export interface TrustStore {
  anchors: readonly TrustAnchor[];
  /** Validated chains by their x5c text: the same issuer signs thousands of credentials. */
  cache: Map<string, { leafKey: CryptoKey; validUntil: number; validFrom: number }>;
}

const CHAIN_CACHE_LIMIT = 1000;

/**
 * Parses PEM trust anchors once (each PEM may hold several certificates).
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.1
 */
export async function createTrustStore(pems: readonly string[]): Promise<TrustStore> {
  const anchors: TrustAnchor[] = [];
  for (const pem of pems) {
    for (const der of x509.PemConverter.decode(pem)) {
      const certificate = new x509.X509Certificate(der);
      anchors.push({ certificate, publicKey: await exportVerifyKey(certificate), der: Buffer.from(der).toString("base64") });
    }
  }
  return { anchors, cache: new Map() };
}

export class ChainError extends Error {}

/**
 * Validates `x5c` (leaf first) against the store at `now` and returns the
 * leaf's public key. Each certificate must be valid now; each must be signed by
 * the next one in `x5c` unless a trust anchor's key signed it, or it is itself
 * byte-for-byte an anchor. Issuing certificates must be CAs.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3
 */
export async function verifyCertificateChain(x5c: unknown, store: TrustStore, now: Date): Promise<CryptoKey> {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((e) => typeof e === "string")) throw new ChainError("x5c is missing or malformed");
  const cacheKey = (x5c as string[]).join(".");
  const cached = store.cache.get(cacheKey);
  const at = now.getTime();
  if (cached && cached.validFrom <= at && at <= cached.validUntil) return cached.leafKey;

  let certificates: x509.X509Certificate[];
  try {
    certificates = (x5c as string[]).map(certificateFromX5c);
  } catch {
    throw new ChainError("x5c holds an unparsable certificate");
  }
  let validFrom = -Infinity;
  let validUntil = Infinity;
  let trusted = false;
  for (let i = 0; i < certificates.length && !trusted; i++) {
    const certificate = certificates[i]!;
    if (!isWithinValidity(certificate, now)) throw new ChainError(`certificate ${i} in x5c is outside its validity period`);
    validFrom = Math.max(validFrom, certificate.notBefore.getTime());
    validUntil = Math.min(validUntil, certificate.notAfter.getTime());
    if (i > 0) assertIsCa(certificate, i);
    const der = (x5c as string[])[i]!;
    const anchor = store.anchors.find((a) => a.der === der) ?? (await findSigningAnchor(certificate, store));
    if (anchor) {
      if (!isWithinValidity(anchor.certificate, now)) throw new ChainError("the trust anchor is outside its validity period");
      validFrom = Math.max(validFrom, anchor.certificate.notBefore.getTime());
      validUntil = Math.min(validUntil, anchor.certificate.notAfter.getTime());
      trusted = true;
      break;
    }
    const next = certificates[i + 1];
    if (!next) break;
    if (!(await certificate.verify({ publicKey: await exportVerifyKey(next), signatureOnly: true }))) {
      throw new ChainError(`certificate ${i} in x5c is not signed by certificate ${i + 1}`);
    }
  }
  if (!trusted) throw new ChainError("the x5c chain does not lead to a configured trust anchor");
  const leafKey = await exportVerifyKey(certificates[0]!);
  if (store.cache.size >= CHAIN_CACHE_LIMIT) store.cache.clear();
  store.cache.set(cacheKey, { leafKey, validFrom, validUntil });
  return leafKey;
}

async function findSigningAnchor(certificate: x509.X509Certificate, store: TrustStore): Promise<TrustAnchor | undefined> {
  for (const anchor of store.anchors) {
    if (await certificate.verify({ publicKey: anchor.publicKey, signatureOnly: true }).catch(() => false)) return anchor;
  }
  return undefined;
}

function assertIsCa(certificate: x509.X509Certificate, index: number): void {
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) throw new ChainError(`certificate ${index} in x5c issues certificates but is not a CA`);
}

async function exportVerifyKey(certificate: x509.X509Certificate): Promise<CryptoKey> {
  const algorithm = certificate.publicKey.algorithm as EcKeyAlgorithm;
  if (algorithm.name !== "ECDSA" || algorithm.namedCurve !== "P-256") throw new ChainError("only P-256 certificate keys are accepted");
  return certificate.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
}
