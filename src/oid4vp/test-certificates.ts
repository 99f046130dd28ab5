/**
 * Test-only: certificates generated per run (never checked in) with exactly
 * the RFC 5280 properties a path-validation test needs: key type, cA,
 * pathLenConstraint, keyUsage, signature hash, validity. Not imported by
 * production code.
 */
import { certificateToX5c, x509 } from "./x509.ts";

export type KeyKind = "P-256" | "P-384" | "P-521" | "RSA" | "RSA-1024" | "Ed25519";

export interface TestCertificate {
  name: string;
  kind: KeyKind;
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  pem: string;
  x5c: string;
}

export interface CertificateOptions {
  name?: string;
  /** Who signs it; omitted means self-signed. */
  issuer?: TestCertificate;
  kind?: KeyKind;
  ca?: boolean;
  pathLen?: number;
  /** x509.KeyUsageFlags bits; null leaves keyUsage out. Default: keyCertSign|cRLSign for a CA, digitalSignature otherwise. */
  usages?: number | null;
  hash?: "SHA-1" | "SHA-256" | "SHA-384";
  notBefore?: Date;
  notAfter?: Date;
}

const DAY = 86_400_000;
let counter = 0;

export async function generateKeys(kind: KeyKind): Promise<CryptoKeyPair> {
  const usages: KeyUsage[] = ["sign", "verify"];
  if (kind === "RSA" || kind === "RSA-1024") {
    const modulusLength = kind === "RSA" ? 2048 : 1024;
    return (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, usages)) as CryptoKeyPair;
  }
  if (kind === "Ed25519") return (await crypto.subtle.generateKey({ name: "Ed25519" }, true, usages)) as CryptoKeyPair;
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: kind }, true, usages)) as CryptoKeyPair;
}

function signingAlgorithm(kind: KeyKind, hash: string): Algorithm {
  if (kind === "RSA" || kind === "RSA-1024") return { name: "RSASSA-PKCS1-v1_5", hash } as Algorithm;
  if (kind === "Ed25519") return { name: "Ed25519" };
  return { name: "ECDSA", hash } as Algorithm;
}

export async function makeCertificate(options: CertificateOptions = {}): Promise<TestCertificate> {
  const kind = options.kind ?? "P-256";
  const name = options.name ?? `CN=Sigil Test Certificate ${++counter}, O=Sigil tests`;
  const keys = await generateKeys(kind);
  const ca = options.ca ?? false;
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(ca, ca ? options.pathLen : undefined, true)];
  const usages = options.usages === undefined ? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature) : options.usages;
  if (usages !== null) extensions.push(new x509.KeyUsagesExtension(usages, true));
  const signer = options.issuer ?? { name, kind, keys };
  const certificate = await x509.X509CertificateGenerator.create({
    subject: name,
    issuer: signer.name,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 100 * DAY),
    signingAlgorithm: signingAlgorithm(signer.kind, options.hash ?? "SHA-256"),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    extensions,
  });
  return { name, kind, keys, certificate, pem: certificate.toString("pem"), x5c: certificateToX5c(certificate) };
}
