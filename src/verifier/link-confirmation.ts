import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Store, WalletTransactionRecord } from "../store/index.ts";

/**
 * How long after a link transaction's expiry its wallet's device may still answer the question:
 * a wallet may answer in the transaction's last second, and a person needs time to read.
 */
export const LINK_CONFIRMATION_GRACE = 600;

/**
 * A link's confirmation on the device the wallet returned to (the relay defence of a link, OpenID4VP
 * §14.2): whoever holds the transaction id and the response_code the wallet's redirect carried may
 * learn which account the wallet would join, and confirm or decline it once. Nothing else may.
 */
async function undecidedLink(store: Store, tenant: string, id: string, responseCode: string): Promise<WalletTransactionRecord | null> {
  const record = id.length > 0 && id.length <= 128 && responseCode.length <= 256 ? await store.walletTransactions.get(tenant, id) : null;
  if (!record || record.purpose !== "link" || record.status !== "verified" || record.deviceConfirmed || !record.responseCodeHash) return null;
  if (!constantTimeEqual(record.responseCodeHash, hashSecret(responseCode))) return null;
  return record.expiresAt + LINK_CONFIRMATION_GRACE > nowSeconds() ? record : null;
}

/** The account an undecided link would join (by username), without deciding it; null when there is no such link for this code. */
export async function describeLink(store: Store, tenant: string, id: string, responseCode: string): Promise<{ username: string } | null> {
  const record = await undecidedLink(store, tenant, id, responseCode);
  const user = record?.sub ? await store.users.findBySub(tenant, record.sub) : null;
  return user ? { username: user.username } : null;
}

/** Confirms or declines an undecided link, once: false when there is no such link for this code (or it was decided). */
export async function decideLink(store: Store, tenant: string, id: string, responseCode: string, decision: "confirm" | "decline"): Promise<boolean> {
  const record = await undecidedLink(store, tenant, id, responseCode);
  if (!record) return false;
  return store.walletTransactions.decideLink(tenant, id, record.responseCodeHash!, decision, nowSeconds() - LINK_CONFIRMATION_GRACE);
}
