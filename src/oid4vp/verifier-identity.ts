/**
 * The verifier's own identity: a P-256 key and the certificate chain sent in
 * the request object's `x5c`. Development tenants self-sign; production tenants
 * install an access certificate issued under a registrar's CA (HAIP §5: the
 * leaf must then not be self-signed and `x5c` must not carry the trust anchor).
 * Persisting and sealing the private key is the caller's job (keys/).
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-5
 */
import { exportPKCS8 } from "jose";
import { P256_SIGNING, certificateToX5c, sanDnsNames, x509 } from "./x509.ts";

export interface VerifierIdentity {
  /** ES256 signing key for request objects. */
  privateKey: CryptoKey;
  /** Leaf first, as it goes into `x5c`; never the trust anchor of a production chain. */
  certificates: x509.X509Certificate[];
  /** The `x5c` header value (standard base64 DER). */
  x5c: string[];
}

export interface ExportedVerifierIdentity {
  certificateChainPem: string;
  privateKeyPem: string;
}

/**
 * A fresh P-256 key and a self-signed certificate whose SAN dNSName is `host` (for x509_san_dns and for development).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.9.3
 */
export async function createDevelopmentVerifierIdentity(host: string, lifetimeDays = 365): Promise<VerifierIdentity> {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${host.replace(/[,=+<>#;"\\]/g, "")}, O=Sigil development verifier`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + lifetimeDays * 86_400_000),
    signingAlgorithm: P256_SIGNING,
    keys,
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: host }]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.BasicConstraintsExtension(false, undefined, true),
    ],
  });
  return { privateKey: keys.privateKey, certificates: [certificate], x5c: [certificateToX5c(certificate)] };
}

/**
 * Parses an operator's certificate chain (leaf first) and PKCS#8 P-256 key,
 * refusing a key that does not belong to the leaf certificate.
 */
export async function loadVerifierIdentity(certificateChainPem: string, privateKeyPem: string): Promise<VerifierIdentity> {
  const certificates = x509.PemConverter.decode(certificateChainPem).map((der) => new x509.X509Certificate(der));
  const leaf = certificates[0];
  if (!leaf) throw new Error("the certificate chain holds no certificate");
  const keyDer = x509.PemConverter.decodeFirst(privateKeyPem);
  const privateKey = await crypto.subtle.importKey("pkcs8", keyDer, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  // A signature made with the key must verify under the leaf's public key: the only reliable "key matches" test.
  const probe = new TextEncoder().encode("sigil verifier key check");
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, probe);
  const leafKey = await leaf.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
  if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, leafKey, signature, probe))) {
    throw new Error("the private key does not match the leaf certificate");
  }
  return { privateKey, certificates, x5c: certificates.map(certificateToX5c) };
}

/** PEM text for the caller to seal and store. */
export async function exportVerifierIdentity(identity: VerifierIdentity): Promise<ExportedVerifierIdentity> {
  return {
    certificateChainPem: identity.certificates.map((c) => c.toString("pem")).join("\n"),
    privateKeyPem: await exportPKCS8(identity.privateKey),
  };
}

/**
 * Why a chain is unfit for HAIP production use, empty when it is fit: the leaf
 * must not be self-signed and `x5c` must not carry the trust anchor (a
 * self-signed root). Development identities fail this on purpose.
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-5
 */
export async function haipIdentityProblems(identity: VerifierIdentity): Promise<string[]> {
  const problems: string[] = [];
  const [leaf, ...rest] = identity.certificates;
  if (!leaf) return ["the chain holds no certificate"];
  if (await leaf.isSelfSigned()) problems.push("the leaf certificate is self-signed");
  for (const certificate of rest) {
    if (await certificate.isSelfSigned()) problems.push(`x5c carries the trust anchor ${certificate.subject}`);
  }
  return problems;
}

export function verifierDnsNames(identity: VerifierIdentity): string[] {
  const leaf = identity.certificates[0];
  return leaf ? sanDnsNames(leaf) : [];
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER
  return Buffer.from(bytes).toString("hex");
}
