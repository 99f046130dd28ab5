// Trust anchors for credential and status-list issuers, shared by `sigil trust` and the admin API.
import { nowSeconds } from "../lib/time.ts";
import { readCertificates, trustAnchorProblem, type CertificateInfo } from "../oid4vp/index.ts";
import type { Store } from "../store/index.ts";
import { requireTenant, TenantInputError } from "../tenant/index.ts";

/**
 * Adds every certificate of a PEM bundle as a trust anchor: a CA, or with `leaf` an end-entity
 * certificate trusted only as the exact signer, never as the issuer of another. All or nothing:
 * a bundle with one unusable certificate (unsupported key, a CA without keyCertSign) adds none,
 * so nothing unusable reaches the trust store. A running server sees the change at once.
 */
export async function addTrustAnchors(store: Store, host: string, pem: string, leaf: boolean): Promise<{ certificate: CertificateInfo; added: boolean }[]> {
  let certificates: CertificateInfo[];
  try {
    certificates = await readCertificates(pem);
  } catch (error) {
    throw new TenantInputError(`not a certificate: ${(error as Error).message.split("\n")[0]}`, "invalid", "pem");
  }
  for (const certificate of certificates) {
    const problem = await trustAnchorProblem(certificate.pem, leaf ? "leaf" : "ca");
    if (problem) throw new TenantInputError(`${certificate.subject} cannot be a trust anchor: ${problem}`, "invalid", "pem");
  }
  const tenant = await requireTenant(store, host);
  const results: { certificate: CertificateInfo; added: boolean }[] = [];
  for (const certificate of certificates) {
    const added = await store.verifiers.addTrustAnchor({
      tenant: tenant.host, fingerprint: certificate.fingerprint, pem: certificate.pem, subject: certificate.subject, addedAt: nowSeconds(),
    });
    results.push({ certificate, added });
  }
  return results;
}

export async function removeTrustAnchor(store: Store, host: string, fingerprint: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  if (!(await store.verifiers.removeTrustAnchor(tenant.host, fingerprint))) throw new TenantInputError(`${tenant.host} has no trust anchor ${fingerprint}`, "not_found", "fingerprint");
}
