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
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
}

export async function createTestCa(name = "CN=Sigil Test PID Issuer CA, O=Sigil tests"): Promise<TestCa> {
  const keys = await generateP256();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: P256_SIGNING,
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
}

export async function issueLeaf(ca: TestCa, options: LeafOptions = {}): Promise<TestLeaf> {
  const keys = await generateP256();
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
    signingAlgorithm: P256_SIGNING,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
  return { keys, certificate, x5c: [certificateToX5c(certificate)] };
}
