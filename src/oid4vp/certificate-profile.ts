/**
 * The per-certificate conditions of RFC 5280 path validation, each a named
 * function returning why a certificate fails it (or undefined). The path walk
 * in certificate-path.ts decides which condition applies to which certificate.
 * Deliberately not checked here: name chaining, name constraints, policies,
 * extended key usage and unknown critical extensions (keys and signatures
 * decide trust; see trust-store.ts).
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1
 */
import { x509 } from "./x509.ts";

/** Issuer keys Sigil verifies certificate signatures with; the JWS-signing leaf is narrower (see verify-x5c-jws.ts). */
const EC_CURVES = new Set(["P-256", "P-384", "P-521"]);
const RSA_MIN_BITS = 2048;
const SIGNATURE_HASHES = new Set(["SHA-256", "SHA-384", "SHA-512"]);

/**
 * Why a certificate's public key cannot verify signatures here: an unsupported
 * type or curve, or an RSA modulus under 2048 bits. Undefined when usable.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.7
 */
export async function keyProblem(certificate: x509.X509Certificate): Promise<string | undefined> {
  let key: CryptoKey;
  try {
    key = await certificate.publicKey.export();
  } catch {
    return `its ${describeKey(certificate)} key is not supported`;
  }
  const algorithm = key.algorithm as EcKeyAlgorithm & RsaHashedKeyAlgorithm;
  if (algorithm.name === "ECDSA") return EC_CURVES.has(algorithm.namedCurve) ? undefined : `its EC curve ${algorithm.namedCurve} is not supported`;
  if (algorithm.name === "RSASSA-PKCS1-v1_5" || algorithm.name === "RSA-PSS") {
    return algorithm.modulusLength >= RSA_MIN_BITS ? undefined : `its RSA key has ${algorithm.modulusLength} bits, fewer than ${RSA_MIN_BITS}`;
  }
  return `its ${algorithm.name} key is not supported`;
}

/**
 * Why a certificate's own signature algorithm is refused: only ECDSA and RSA
 * (PKCS#1 v1.5 or PSS) with SHA-2; SHA-1 signatures are forgeable.
 */
export function signatureAlgorithmProblem(certificate: x509.X509Certificate): string | undefined {
  const algorithm = certificate.signatureAlgorithm as Algorithm & { hash?: Algorithm };
  if (!["ECDSA", "RSASSA-PKCS1-v1_5", "RSA-PSS"].includes(algorithm.name)) return `it is signed with an unsupported algorithm ${algorithm.name}`;
  if (!algorithm.hash || !SIGNATURE_HASHES.has(algorithm.hash.name)) return `it is signed with the weak or unknown hash ${algorithm.hash?.name ?? "none"}`;
  return undefined;
}

/**
 * Why a certificate may not sign other certificates: not a CA (basicConstraints
 * cA false or absent), or a keyUsage without keyCertSign.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4 (k), (n)
 */
export function issuerProblem(certificate: x509.X509Certificate): string | undefined {
  if (!isCa(certificate)) return "it is not a CA (basicConstraints cA is not set)";
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) return "its keyUsage lacks keyCertSign";
  return undefined;
}

/**
 * Why a certificate may not be the end-entity that signs a JWS: it is a CA, or
 * it has a keyUsage without digitalSignature.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3
 */
export function leafProblem(certificate: x509.X509Certificate): string | undefined {
  if (isCa(certificate)) return "it is a CA, not an end-entity certificate";
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.digitalSignature) === 0) return "its keyUsage lacks digitalSignature";
  return undefined;
}

export function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/** The CA's pathLenConstraint, or undefined when it sets none. */
export function pathLenConstraint(certificate: x509.X509Certificate): number | undefined {
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  return constraints?.ca && typeof constraints.pathLength === "number" ? constraints.pathLength : undefined;
}

/**
 * Self-issued certificates (issuer = subject, e.g. key rollover) do not count
 * towards pathLenConstraint.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4 (l)
 */
export function isSelfIssued(certificate: x509.X509Certificate): boolean {
  return Buffer.from(certificate.subjectName.toArrayBuffer()).equals(Buffer.from(certificate.issuerName.toArrayBuffer()));
}

/**
 * Why a certificate cannot be a trust anchor in its role: its key is unusable,
 * or (a CA anchor) it may not issue, or (a pinned end-entity anchor) it may not
 * sign a JWS. The role follows basicConstraints cA. What `sigil trust add`
 * refuses up front and what createTrustStore skips.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.1 (d)
 */
export async function anchorProblem(certificate: x509.X509Certificate): Promise<string | undefined> {
  return (await keyProblem(certificate)) ?? (isCa(certificate) ? issuerProblem(certificate) : leafProblem(certificate));
}

/**
 * What `sigil trust add` refuses up front, for a PEM certificate and the role
 * the operator meant: a CA anchor by default, or with `--leaf` an end-entity
 * certificate pinned as the exact credential or status-list signer.
 */
export async function trustAnchorProblem(pem: string, role: "ca" | "leaf"): Promise<string | undefined> {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(pem);
  } catch {
    return "it is not a parsable certificate";
  }
  if (role === "ca" && !isCa(certificate)) return "it is not a CA (basicConstraints cA is not set); pass --leaf to pin it as the exact signing certificate";
  if (role === "leaf" && isCa(certificate)) return "it is a CA; --leaf pins end-entity certificates only";
  return anchorProblem(certificate);
}

function describeKey(certificate: x509.X509Certificate): string {
  try {
    const algorithm = certificate.publicKey.algorithm as EcKeyAlgorithm;
    return algorithm.namedCurve ? `${algorithm.name} ${algorithm.namedCurve}` : algorithm.name;
  } catch {
    return "unreadable";
  }
}
