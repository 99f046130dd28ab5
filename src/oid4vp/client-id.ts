/**
 * Client identifiers with the X.509 prefixes HAIP allows. The prefix is part
 * of the client_id everywhere: in the wallet URL, the request object, and the
 * KB-JWT `aud` the wallet must sign.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.9.3
 */
import { createHash } from "node:crypto";
import { sanDnsNames } from "./x509.ts";
import type { VerifierIdentity } from "./verifier-identity.ts";

export type ClientIdPrefix = "x509_hash" | "x509_san_dns";

/** base64url (no padding) SHA-256 of the leaf certificate's DER bytes. */
export function x509HashOf(leafDer: ArrayBuffer | Uint8Array): string {
  return createHash("sha256").update(new Uint8Array(leafDer)).digest("base64url");
}

/**
 * `x509_hash:<hash of leaf>` or `x509_san_dns:<host>`; for the latter the
 * host must be a dNSName of the leaf (wallets also require the response_uri host to equal it).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.9.3
 */
export function computeClientId(identity: VerifierIdentity, prefix: ClientIdPrefix, host?: string): string {
  const leaf = identity.certificates[0];
  if (!leaf) throw new Error("verifier identity has no certificate");
  if (prefix === "x509_hash") return `x509_hash:${x509HashOf(leaf.rawData)}`;
  if (!host) throw new Error("x509_san_dns needs a host name");
  const wanted = host.toLowerCase();
  if (!sanDnsNames(leaf).includes(wanted)) throw new Error(`the verifier certificate has no SAN dNSName ${wanted}`);
  return `x509_san_dns:${wanted}`;
}
