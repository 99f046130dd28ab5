/**
 * Verifies a compact JWS whose key comes from its own `x5c` header, after the
 * chain is validated to a trust anchor. Used for SD-JWT VC issuer signatures
 * and Token Status List tokens (HAIP makes x5c issuer identification mandatory).
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-6.1.1
 */
import type { KeyObject } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { verifyCompactJws } from "./ec-crypto.ts";
import type { ProtectedHeaderParameters } from "jose";
import { ChainError, verifyCertificateChain } from "./trust-store.ts";
import type { TrustStore } from "./trust-store.ts";

export type X5cJwsFailure = "trust" | "signature";

export class X5cJwsError extends Error {
  constructor(readonly failure: X5cJwsFailure, message: string) {
    super(message);
  }
}

/**
 * Returns the protected header when the chain is trusted and the signature verifies; throws X5cJwsError otherwise.
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
 */
export async function verifyX5cJws(jws: string, store: TrustStore, now: Date): Promise<ProtectedHeaderParameters> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw new X5cJwsError("signature", "the JWS header is unreadable");
  }
  if (header.alg !== "ES256") throw new X5cJwsError("signature", `JWS alg ${String(header.alg)} is not ES256`);
  // No JWS extension is understood here, so any crit (b64: false among them) is refused, as jose would.
  if (header.crit !== undefined) throw new X5cJwsError("signature", "JWS crit extensions are not supported");
  let key: KeyObject;
  try {
    key = await verifyCertificateChain(header.x5c, store, now);
  } catch (error) {
    throw new X5cJwsError("trust", error instanceof ChainError ? error.message : "the x5c chain could not be validated");
  }
  if (!verifyCompactJws(jws, "SHA-256", key)) throw new X5cJwsError("signature", "the JWS signature does not verify under the x5c leaf key");
  return header;
}
