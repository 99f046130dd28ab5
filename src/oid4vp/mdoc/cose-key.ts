/**
 * The MSO's deviceKey (a COSE_Key, EC2 only) as a public JWK: kty 2, crv 1/2/3 (P-256/384/521),
 * x (-2) and y (-3) as byte strings. Compressed points (y as a bool) and OKP keys are refused.
 * @see https://www.rfc-editor.org/rfc/rfc9053#section-7.1.1
 * @see ISO/IEC 18013-5:2021 §9.1.5.2 (DeviceKey)
 */
import { PresentationError } from "../presentation-error.ts";
import { mapGet } from "./cbor.ts";

const CURVES: Record<number, { crv: "P-256" | "P-384" | "P-521"; size: number }> = { 1: { crv: "P-256", size: 32 }, 2: { crv: "P-384", size: 48 }, 3: { crv: "P-521", size: 66 } };

export interface EcPublicJwk {
  kty: "EC";
  crv: "P-256" | "P-384" | "P-521";
  x: string;
  y: string;
}

/** @see https://www.rfc-editor.org/rfc/rfc9053#section-7.1.1 */
export function coseKeyToJwk(coseKey: unknown): EcPublicJwk {
  if (!(coseKey instanceof Map) || mapGet(coseKey, 1) !== 2) throw new PresentationError("mdoc_format", "the MSO deviceKey is not an EC2 COSE_Key");
  const curve = CURVES[mapGet(coseKey, -1) as number];
  const x = mapGet(coseKey, -2);
  const y = mapGet(coseKey, -3);
  if (!curve || !(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== curve.size || y.length !== curve.size) {
    throw new PresentationError("mdoc_format", "the MSO deviceKey is not an uncompressed P-256/384/521 key");
  }
  return { kty: "EC", crv: curve.crv, x: Buffer.from(x).toString("base64url"), y: Buffer.from(y).toString("base64url") };
}
