/**
 * The Key Binding JWT checks @sd-jwt 0.19 does not make: `typ`, `alg`, `aud`
 * (the full client_id, prefix included; `origin:<Origin>` over the DC API), an `iat` window (the library only
 * checks that iat is present), and `sd_hash` over the presentation exactly as
 * received. The signature by `cnf.jwk` is checked by `verifyKbSignature`.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7.3
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.3.6
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 */
import { createHash } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { ecPublicKeyFromJwk, verifyCompactJws } from "./ec-crypto.ts";
import { PresentationError } from "./presentation-error.ts";

export interface KbExpectations {
  nonce: string;
  /**
   * The expected `aud`: the full client_id, e.g. `x509_hash:...` (a bare value without prefix is
   * wrong), or over the DC API `origin:<Origin>` (presentationAudience decides which).
   */
  clientId: string;
  now: number;
  /** Seconds an iat may lie in the past (default 300) and in the future (default 60). */
  maxAgeSeconds?: number;
  maxFutureSeconds?: number;
}

/**
 * @param presentedWithoutKb `<issuer-jwt>~<d1>~...~<dn>~` as received, final `~` included.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7.3
 */
export function checkKbJwtClaims(header: Record<string, unknown>, payload: Record<string, unknown>, presentedWithoutKb: string, expected: KbExpectations): void {
  if (header.typ !== "kb+jwt") throw new PresentationError("kb_typ", "the Key Binding JWT typ is not kb+jwt");
  if (header.alg !== "ES256") throw new PresentationError("kb_alg", `Key Binding JWT alg ${String(header.alg)} is not accepted`);
  // No JWS extension is understood, so a crit header (b64: false among them) is refused (RFC 7515 §4.1.11).
  if (header.crit !== undefined) throw new PresentationError("kb_alg", "the Key Binding JWT names crit extensions, which are not supported");
  if (typeof payload.nonce !== "string" || !constantTimeEqual(payload.nonce, expected.nonce)) {
    throw new PresentationError("kb_nonce", "the Key Binding JWT nonce does not match the request");
  }
  if (typeof payload.aud !== "string" || payload.aud !== expected.clientId) {
    throw new PresentationError("kb_aud", expected.clientId.startsWith("origin:")
      ? "the Key Binding JWT aud is not origin: with this page's origin (a presentation made for another site)"
      : "the Key Binding JWT aud is not this verifier's client_id (prefix included)");
  }
  const iat = payload.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw new PresentationError("kb_iat", "the Key Binding JWT has no iat");
  if (iat < expected.now - (expected.maxAgeSeconds ?? 300)) throw new PresentationError("kb_iat", "the Key Binding JWT is too old");
  if (iat > expected.now + (expected.maxFutureSeconds ?? 60)) throw new PresentationError("kb_iat", "the Key Binding JWT is issued in the future");
  const sdHash = createHash("sha256").update(presentedWithoutKb).digest("base64url");
  if (typeof payload.sd_hash !== "string" || payload.sd_hash !== sdHash) {
    throw new PresentationError("kb_sd_hash", "the Key Binding JWT sd_hash does not cover the presented disclosures");
  }
}

/**
 * Verifies a KB-JWT signature (`data` = header.payload) under the credential's cnf.jwk; throws kb_cnf / kb_signature.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7.3
 */
export async function verifyKbSignature(data: string, signature: string, cnf: unknown): Promise<true> {
  const jwk = (cnf as { jwk?: unknown } | undefined)?.jwk;
  if (!jwk || typeof jwk !== "object") throw new PresentationError("kb_cnf", "the credential has no cnf.jwk holder key");
  const { kty, crv, x, y } = jwk as JWK;
  // Only the public members: a cnf.jwk with kty/crv/x/y alone is valid, and extra members (d, alg) must not change the outcome.
  if (kty !== "EC" || crv !== "P-256" || typeof x !== "string" || typeof y !== "string") throw new PresentationError("kb_cnf", "cnf.jwk is not a P-256 key");
  let key: KeyObject;
  try {
    key = ecPublicKeyFromJwk({ kty, crv, x, y });
  } catch {
    throw new PresentationError("kb_cnf", "cnf.jwk cannot be imported");
  }
  // The header's alg (ES256) and typ were checked by checkKbJwtClaims before this runs.
  if (!verifyCompactJws(`${data}.${signature}`, "SHA-256", key)) {
    throw new PresentationError("kb_signature", "the Key Binding JWT is not signed by the credential's holder key");
  }
  return true;
}
