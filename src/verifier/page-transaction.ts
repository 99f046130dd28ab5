import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Store, WalletTransactionRecord } from "../store/index.ts";
import { transactionState } from "./transaction-state.ts";

/** Where a transaction a page started (sign-in or link) stands, as that page may learn it. */
export type PageTransaction =
  /** No such transaction for this page: unknown, another purpose or user, or the wrong secret. */
  | { state: "unknown" }
  /**
   * Not ready for this call: the wallet has not answered; or it answered a same-device sign-in,
   * which only its response_code completes (`answered`); or a link awaits the wallet's device.
   */
  | { state: "waiting"; status: "pending" | "retrieved" | "answered" | "awaiting_confirmation" }
  /** `check`: the check that failed, where the page says something particular (subject_identifier, link_declined). */
  | { state: "failed"; error: string; check: string | null }
  | { state: "expired" }
  | { state: "completed" }
  /** A response_code that is not this transaction's: nothing is taken. */
  | { state: "wrong_response_code" }
  /** Verified and now taken by this call: it completes exactly once. */
  | { state: "verified"; record: WalletTransactionRecord };

/**
 * Reads a sign-in or link transaction for the page that holds its secret (and, for a link, the
 * signed-in user it was made for), and takes it once it may complete. Against relays (OpenID4VP
 * §14.2): a same-device sign-in completes only with the response_code the wallet's redirect
 * carried to the browser, never by polling; a link only once the wallet's device confirmed it.
 * A cross-device sign-in completes by polling: nothing in the protocol tells its two devices apart.
 */
export async function takePageTransaction(
  store: Store, tenant: string, request: { purpose: "signin" | "link"; id: string; secret: string; sub?: string | null; responseCode?: string },
): Promise<PageTransaction> {
  const { purpose, id, secret, sub = null, responseCode } = request;
  const record = id.length > 0 && id.length <= 128 ? await store.walletTransactions.get(tenant, id) : null;
  if (!record || record.purpose !== purpose || record.sub !== sub || !record.pageSecretHash || !constantTimeEqual(record.pageSecretHash, hashSecret(secret))) {
    return { state: "unknown" };
  }
  const state = transactionState(record, nowSeconds());
  if (state === "failed") return { state: "failed", error: record.error ?? "it failed a check", check: record.failedCheck };
  if (state === "completed") return { state: "completed" };
  if (state === "expired") return { state: "expired" };
  if (state !== "verified") return { state: "waiting", status: state === "pending" ? "pending" : "retrieved" };
  if (responseCode !== undefined) {
    if (!record.responseCodeHash || !constantTimeEqual(record.responseCodeHash, hashSecret(responseCode))) return { state: "wrong_response_code" };
  } else if (purpose === "signin" && record.flow === "same_device") {
    return { state: "waiting", status: "answered" };
  }
  if (purpose === "link" && !record.deviceConfirmed) return { state: "waiting", status: "awaiting_confirmation" };
  return (await store.walletTransactions.complete(tenant, id)) ? { state: "verified", record } : { state: "completed" };
}
