import { constantTimeEqual } from "../../lib/constant-time.ts";
import { hashSecret } from "../../lib/ids.ts";
import { nowSeconds } from "../../lib/time.ts";
import type { Store, WalletTransactionRecord } from "../../store/index.ts";

/** Where a transaction a page started (sign-in or link) stands, as that page may learn it. */
export type PageTransaction =
  /** No such transaction for this page: unknown, another purpose or user, or the wrong secret. */
  | { state: "unknown" }
  | { state: "waiting"; status: "pending" | "retrieved" }
  | { state: "failed"; error: string }
  | { state: "expired" }
  | { state: "completed" }
  /** Same-device return with a response_code that is not this transaction's: nothing is taken. */
  | { state: "wrong_response_code" }
  /** Verified and now taken by this call: it completes exactly once. */
  | { state: "verified"; record: WalletTransactionRecord };

/**
 * Reads a sign-in or link transaction for the page that holds its secret (and, for a link, the
 * signed-in user it was made for), and takes it once it is verified. A `responseCode` (the
 * same-device return, OpenID4VP §14.2) must match before anything is taken.
 */
export async function takePageTransaction(
  store: Store, tenant: string, request: { purpose: "signin" | "link"; id: string; secret: string; sub?: string | null; responseCode?: string },
): Promise<PageTransaction> {
  const { purpose, id, secret, sub = null, responseCode } = request;
  const record = id.length > 0 && id.length <= 128 ? await store.walletTransactions.get(tenant, id) : null;
  if (!record || record.purpose !== purpose || record.sub !== sub || !record.pageSecretHash || !constantTimeEqual(record.pageSecretHash, hashSecret(secret))) {
    return { state: "unknown" };
  }
  if (record.status === "failed") return { state: "failed", error: record.error ?? "it failed a check" };
  if (record.status === "completed") return { state: "completed" };
  if (record.status !== "verified") {
    if (record.expiresAt <= nowSeconds()) return { state: "expired" };
    return { state: "waiting", status: record.status === "pending" ? "pending" : "retrieved" };
  }
  if (responseCode !== undefined && (!record.responseCodeHash || !constantTimeEqual(record.responseCodeHash, hashSecret(responseCode)))) {
    return { state: "wrong_response_code" };
  }
  return (await store.walletTransactions.complete(tenant, id)) ? { state: "verified", record } : { state: "completed" };
}
