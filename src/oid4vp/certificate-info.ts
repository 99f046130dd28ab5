import { x509 } from "./x509.ts";

export interface CertificateInfo {
  pem: string;
  /** SHA-256 of the DER, base64url: how an anchor is named. */
  fingerprint: string;
  subject: string;
  notAfter: Date;
  isCa: boolean;
}

/** Every certificate in a PEM text (a bundle may hold several); throws on anything that is not one. */
export async function readCertificates(pemText: string): Promise<CertificateInfo[]> {
  const blocks = pemText.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error("no PEM certificate found");
  return Promise.all(blocks.map(async (block) => {
    const certificate = new x509.X509Certificate(block);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", certificate.rawData));
    const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
    return {
      pem: certificate.toString("pem"), fingerprint: Buffer.from(digest).toString("base64url"), subject: certificate.subject,
      notAfter: certificate.notAfter, isCa: constraints?.ca === true,
    };
  }));
}
