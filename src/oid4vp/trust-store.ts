/**
 * Trust anchors for credential and status-list issuers, and the one function
 * that judges an `x5c` chain against them. Chains are judged by signatures and
 * validity periods, never by names: an untrusted root may carry a trusted
 * root's subject. A certificate is never trusted for having arrived in `x5c`.
 * A CA anchor may sign the chain; an end-entity anchor is trusted only as the
 * exact leaf (a pinned issuer certificate), never as a signer.
 * What it deliberately does not check: revocation of the chain's certificates
 * (no CRL/OCSP fetching), name chaining and name constraints, policy OIDs,
 * extended key usage. The per-certificate conditions are in certificate-profile.ts.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-6.1.1
 */
import { createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { anchorProblem, isCa } from "./certificate-profile.ts";
import { ecCurveOf } from "./ec-crypto.ts";
import { checkPath, findPath } from "./certificate-path.ts";
import { ChainError } from "./chain-error.ts";
import { certificateFromX5c, x509 } from "./x509.ts";

export { ChainError };

export interface TrustAnchor {
  certificate: x509.X509Certificate;
  der: string;
  /** "ca": may sign the chain. "leaf": an end-entity certificate trusted only as x5c[0] byte for byte. */
  role: "ca" | "leaf";
}

export interface TrustStore {
  anchors: readonly TrustAnchor[];
  /** Validated chains by their x5c text: the same issuer signs thousands of credentials. */
  cache: Map<string, { leafKey: KeyObject; validUntil: number; validFrom: number }>;
}

const CHAIN_CACHE_LIMIT = 1000;
/** Each certificate may be tried against every anchor: bound the work a wallet can ask for. */
const MAX_CHAIN_LENGTH = 10;

/**
 * Parses PEM trust anchors once (each PEM may hold several certificates). An
 * anchor that cannot be used (unparsable, unsupported key, a CA that may not
 * issue) is skipped with one logged line, so it never breaks the others.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.1
 */
export async function createTrustStore(pems: readonly string[], log: (line: string) => void = (line) => console.error(line)): Promise<TrustStore> {
  const anchors: TrustAnchor[] = [];
  for (const [index, pem] of pems.entries()) {
    let ders: ArrayBuffer[];
    try {
      ders = x509.PemConverter.decode(pem);
    } catch {
      log(`trust anchor #${index + 1} skipped: not a PEM certificate`);
      continue;
    }
    for (const der of ders) {
      let certificate: x509.X509Certificate;
      try {
        certificate = new x509.X509Certificate(der);
      } catch {
        log(`trust anchor #${index + 1} skipped: not a parsable certificate`);
        continue;
      }
      const problem = await anchorProblem(certificate);
      if (problem) {
        log(`trust anchor ${certificate.subject} skipped: ${problem}`);
        continue;
      }
      anchors.push({ certificate, der: Buffer.from(der).toString("base64"), role: isCa(certificate) ? "ca" : "leaf" });
    }
  }
  return { anchors, cache: new Map() };
}

/**
 * Validates `x5c` (leaf first) against the store at `now` and returns the
 * leaf's public key. Either x5c[0] is byte for byte an anchor, or each
 * certificate is signed by the next one in `x5c` until a CA anchor's key signs
 * one; then RFC 5280 §6.1 conditions are checked over that path (see checkPath).
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3
 */
export async function verifyCertificateChain(x5c: unknown, store: TrustStore, now: Date, curves: readonly LeafCurve[] = ["P-256"]): Promise<KeyObject> {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((e) => typeof e === "string")) throw new ChainError("x5c is missing or malformed");
  if (x5c.length > MAX_CHAIN_LENGTH) throw new ChainError(`x5c holds more than ${MAX_CHAIN_LENGTH} certificates`);
  const entries = x5c as string[];
  // The curves are part of the key: a leaf accepted for mdoc (P-384) must not come back from the cache for an ES256-only caller.
  const cacheKey = `${curves.join(",")}|${entries.join(".")}`;
  const cached = store.cache.get(cacheKey);
  const at = now.getTime();
  if (cached && cached.validFrom <= at && at <= cached.validUntil) return cached.leafKey;

  let certificates: x509.X509Certificate[];
  try {
    certificates = entries.map(certificateFromX5c);
  } catch {
    throw new ChainError("x5c holds an unparsable certificate");
  }
  const leafKey = leafPublicKey(certificates[0]!, curves);
  const pinned = store.anchors.find((anchor) => anchor.der === entries[0]);
  const path = pinned ? { chain: [certificates[0]!], anchor: pinned, pinned: true } : await findPath(certificates, store.anchors);
  const { validFrom, validUntil } = checkPath(path, now);
  if (store.cache.size >= CHAIN_CACHE_LIMIT) store.cache.clear();
  store.cache.set(cacheKey, { leafKey, validFrom, validUntil });
  return leafKey;
}

/** ECDSA curves a caller accepts for the leaf key. */
export type LeafCurve = "P-256" | "P-384" | "P-521";

/**
 * The leaf signs the JWS, which verify-x5c-jws accepts as ES256 only (P-256); mdoc IssuerAuth also
 * allows ES384/ES512. A node KeyObject (ec-crypto.ts says why), read from the SPKI bytes as received.
 */
function leafPublicKey(certificate: x509.X509Certificate, curves: readonly LeafCurve[]): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(certificate.publicKey.rawData), format: "der", type: "spki" });
  } catch {
    throw new ChainError("the leaf certificate's key is unreadable");
  }
  const curve = ecCurveOf(key);
  if (!curve || !curves.includes(curve)) throw new ChainError(`only ${curves.join("/")} leaf certificate keys are accepted`);
  return key;
}
