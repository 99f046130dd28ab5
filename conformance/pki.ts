// Certificates conformance/setup makes for the OID4VP verifier plans, generated on each run and
// never checked in: a CA and a P-256 issuer key whose private JWK (with x5c) the suite signs its
// mock PID with (credential.signing_jwk), and an access CA with a leaf for the tenant's request
// objects (the suite refuses a self-signed signer and wants the CA as its trust anchor).
import { exportJWK, type JWK } from "jose";
import { P256_SIGNING, certificateToX5c, x509 } from "../src/oid4vp/x509.ts";

const DAY = 86_400_000;

export interface Ca {
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  pem: string;
}

export interface Leaf {
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  pem: string;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
}

const p256 = async () => (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;

function toPem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export async function createCa(name: string, days = 730): Promise<Ca> {
  const keys = await p256();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name, keys, signingAlgorithm: P256_SIGNING,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + days * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keys, certificate, pem: certificate.toString("pem") + "\n" };
}

export async function issueLeaf(ca: Ca, subject: string, dnsNames: string[] = [], days = 365): Promise<Leaf> {
  const keys = await p256();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (dnsNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: "dns" as const, value }))));
  const certificate = await x509.X509CertificateGenerator.create({
    subject, issuer: ca.certificate.subject, publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: P256_SIGNING,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + days * DAY), extensions,
  });
  return { keys, certificate, pem: certificate.toString("pem") + "\n", keyPem: toPem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)) };
}

/** The leaf's private key as the suite's credential.signing_jwk: EC P-256, alg ES256, x5c with the leaf only. */
export async function signingJwk(leaf: Leaf): Promise<JWK> {
  const { kty, crv, x, y, d } = await exportJWK(leaf.keys.privateKey);
  return { kty, crv, x, y, d, use: "sig", alg: "ES256", x5c: [certificateToX5c(leaf.certificate)] };
}

/** Whether a PEM's first certificate is a CA: a leaf the operator gives is trusted as exactly itself (`trust add --leaf`). */
export function isCaCertificate(pem: string): boolean {
  const [der] = x509.PemConverter.decode(pem);
  if (!der) throw new Error("no certificate in the PEM");
  return new x509.X509Certificate(der).getExtension(x509.BasicConstraintsExtension)?.ca === true;
}
