/**
 * The MSO's validityInfo: `signed`, `validFrom` and `validUntil` (tdate, tag 0) must be present, and
 * now must lie in [validFrom, validUntil] with the clock skew the SD-JWT checks use; an MSO signed in
 * the future is refused too. `expectedUpdate` is informational and not checked.
 * @see ISO/IEC 18013-5:2021 §9.1.2.4 (ValidityInfo) and §9.3.1 step 5
 */
import { PresentationError } from "../presentation-error.ts";
import { mapGet } from "./cbor.ts";

function seconds(value: unknown, name: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new PresentationError("mdoc_format", `validityInfo.${name} is not a date`);
  return Math.floor(value.getTime() / 1000);
}

/** @see ISO/IEC 18013-5:2021 §9.3.1 */
export function checkValidityInfo(validityInfo: unknown, now: number, skewSeconds: number): void {
  if (!(validityInfo instanceof Map)) throw new PresentationError("mdoc_format", "the MSO has no validityInfo");
  const signed = seconds(mapGet(validityInfo, "signed"), "signed");
  const validFrom = seconds(mapGet(validityInfo, "validFrom"), "validFrom");
  const validUntil = seconds(mapGet(validityInfo, "validUntil"), "validUntil");
  if (validUntil + skewSeconds < now) throw new PresentationError("credential_expired", "the mdoc has expired");
  if (validFrom - skewSeconds > now) throw new PresentationError("credential_not_yet_valid", "the mdoc is not yet valid");
  if (signed - skewSeconds > now) throw new PresentationError("credential_not_yet_valid", "the mdoc is signed in the future");
}
