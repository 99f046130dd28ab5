/**
 * The MSO's Token Status List reference, `status: { status_list: { idx, uri } }`, checked through the
 * same path as SD-JWT VC status: fetch the list token (status-list.ts: HTTPS, no internal addresses,
 * timeout, byte cap, ttl cache), verify it (typ statuslist+jwt, sub = uri, x5c to a trust anchor),
 * then read the entry at idx. A list that fails verification is evicted and rejects the mdoc.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-6.3
 * @see ISO/IEC 18013-5:2021 (2nd edition) §9.1.2.4 (MobileSecurityObject status)
 */
import { getListFromStatusListJWT } from "@sd-jwt/jwt-status-list";
import { PresentationError } from "../presentation-error.ts";
import { checkStatusValue, verifyStatusListToken } from "../status-list.ts";
import type { StatusListFetcher } from "../status-list.ts";
import type { TrustStore } from "../trust-store.ts";
import { mapGet } from "./cbor.ts";

/** The reference, or undefined when the MSO carries none; a malformed one is refused. */
export function readMdocStatus(mso: Map<unknown, unknown>): { uri: string; idx: number } | undefined {
  const status = mapGet(mso, "status");
  if (status === undefined) return undefined;
  const list = mapGet(status, "status_list");
  const uri = mapGet(list, "uri");
  const idx = mapGet(list, "idx");
  if (typeof uri !== "string" || typeof idx !== "number" || !Number.isInteger(idx) || idx < 0) {
    throw new PresentationError("status_invalid", "the mdoc's status_list reference is malformed");
  }
  return { uri, idx };
}

/** @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-8.3 */
export async function checkMdocStatus(mso: Map<unknown, unknown>, fetcher: StatusListFetcher, trust: TrustStore, now: number): Promise<void> {
  const reference = readMdocStatus(mso);
  if (!reference) return;
  const token = await fetcher.fetchToken(reference.uri, now);
  try {
    await verifyStatusListToken(token, reference.uri, trust, now);
  } catch (error) {
    fetcher.evict?.(reference.uri);
    throw error;
  }
  let status: number;
  try {
    status = getListFromStatusListJWT(token).getStatus(reference.idx);
  } catch (error) {
    throw new PresentationError("status_index", "the mdoc's status index is not in its list", { internal: error instanceof Error ? error.message : String(error) });
  }
  checkStatusValue(status);
}
