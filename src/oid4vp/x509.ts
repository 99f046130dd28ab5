/**
 * The one place @peculiar/x509 is loaded: 2.x needs reflect-metadata before
 * its first import, and the WebCrypto provider is pinned so Bun and Node agree.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };

/** ECDSA P-256 with SHA-256: the only certificate and JWS algorithm HAIP asks verifiers to support. */
export const P256_SIGNING = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** x5c entries are standard base64 DER (RFC 7515 §4.1.6), not base64url. */
export function certificateToX5c(certificate: x509.X509Certificate): string {
  return Buffer.from(certificate.rawData).toString("base64");
}

export function certificateFromX5c(entry: string): x509.X509Certificate {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) throw new Error("x5c entry is not base64");
  return new x509.X509Certificate(Buffer.from(entry, "base64"));
}

/** The dNSName entries of a certificate's subjectAltName, lower-cased. */
export function sanDnsNames(certificate: x509.X509Certificate): string[] {
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  if (!san) return [];
  return san.names.items.filter((name) => name.type === "dns").map((name) => name.value.toLowerCase());
}

export function isWithinValidity(certificate: x509.X509Certificate, now: Date): boolean {
  return certificate.notBefore.getTime() <= now.getTime() && now.getTime() <= certificate.notAfter.getTime();
}
