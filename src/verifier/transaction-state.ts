import type { WalletTransactionRecord } from "../store/index.ts";
import type { PresentationResult } from "./accept-response.ts";

/**
 * Where a wallet transaction stands, decided in this one place: its stored status, except that
 * an open one (pending, retrieved, or stuck verifying after a crash) past its lifetime is expired.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.3.2
 */
export type TransactionState = "pending" | "retrieved" | "verifying" | "verified" | "failed" | "completed" | "expired";

export function transactionState(record: Pick<WalletTransactionRecord, "status" | "expiresAt">, now: number): TransactionState {
  const open = record.status === "pending" || record.status === "retrieved" || record.status === "verifying";
  return open && record.expiresAt <= now ? "expired" : record.status;
}

/** Whether the wallet may still fetch the request and answer it. */
export const awaitsWallet = (state: TransactionState): boolean => state === "pending" || state === "retrieved";

/** The verified presentation a transaction holds, as a typed value (stored as JSON); null before it is verified. */
export function verifiedResult(record: Pick<WalletTransactionRecord, "resultJson">): PresentationResult | null {
  return record.resultJson === null ? null : (JSON.parse(record.resultJson) as PresentationResult);
}

/** How a transaction's answer arrives: posted by the wallet to response_uri, or through the page's Digital Credentials API call. */
export type ResponseChannel = "redirect" | "dc_api";

/**
 * Read from the transaction's response_mode, so that an answer is accepted only on its own channel:
 * a DC API answer is posted by the page that holds the secret, never straight to response_uri.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.2
 */
export function responseChannel(record: Pick<WalletTransactionRecord, "transactionJson">): ResponseChannel {
  const mode = (JSON.parse(record.transactionJson) as { response_mode?: unknown }).response_mode;
  return mode === "dc_api.jwt" || mode === "dc_api" ? "dc_api" : "redirect";
}
