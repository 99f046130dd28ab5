/**
 * Test certificate authorities for credential issuers, generated per test run
 * (never checked in). `createTestCa` makes a root; `issueLeaf` a P-256 end-entity
 * certificate under it. An "evil" CA reusing a trusted CA's subject name lets
 * tests prove that chains are judged by signatures, not names.
 */
import { P256_SIGNING, certificateToX5c, x509 } from "../../../src/oid4vp/x509.ts";

export interface TestCa {
  name: string;
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  pem: string;
}

export interface TestLeaf {
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  /** Leaf only: HAIP says x5c must not carry the trust anchor. */
  x5c: string[];
}

const DAY = 86_400_000;

export async function generateP256(): Promise<CryptoKeyPair> {
  return generateEc("P-256");
}

/** The curves an ISO mdoc issuer may sign with (ES256/ES384/ES512, ISO/IEC 18013-5 §9.1.2.4). */
export type TestCurve = "P-256" | "P-384" | "P-521";
/** The hash that goes with each curve in a certificate signature (RFC 5758 §3.2: ecdsa-with-SHA256/384/512). */
const CURVE_HASH: Record<TestCurve, string> = { "P-256": "SHA-256", "P-384": "SHA-384", "P-521": "SHA-512" };

async function generateEc(curve: TestCurve): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: curve }, true, ["sign", "verify"])) as CryptoKeyPair;
}

function signingFor(keys: CryptoKeyPair) {
  const curve = (keys.privateKey.algorithm as EcKeyAlgorithm).namedCurve as TestCurve;
  return curve === "P-256" ? P256_SIGNING : { name: "ECDSA", hash: CURVE_HASH[curve] };
}

export async function createTestCa(name = "CN=Sigil Test PID Issuer CA, O=Sigil tests", curve: TestCurve = "P-256"): Promise<TestCa> {
  const keys = await generateEc(curve);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: signingFor(keys),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { name, keys, certificate, pem: certificate.toString("pem") };
}

export interface LeafOptions {
  subject?: string;
  dnsNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** The leaf's own key curve (default P-256); the CA signs with its own curve's hash. */
  curve?: TestCurve;
}

export async function issueLeaf(ca: TestCa, options: LeafOptions = {}): Promise<TestLeaf> {
  const keys = await generateEc(options.curve ?? "P-256");
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  ];
  if (options.dnsNames?.length) extensions.push(new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: "dns" as const, value }))));
  const certificate = await x509.X509CertificateGenerator.create({
    subject: options.subject ?? "CN=Sigil Test PID Issuer, O=Sigil tests",
    issuer: ca.certificate.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 180 * DAY),
    signingAlgorithm: signingFor(ca.keys),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { keys, certificate, x5c: [certificateToX5c(certificate)] };
}
