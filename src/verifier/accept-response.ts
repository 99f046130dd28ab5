import { hashSecret, randomId } from "../lib/ids.ts";
import type { OAuthErrorCode } from "../lib/oauth-error.ts";
import { nowSeconds } from "../lib/time.ts";
import type { OpenedResponse, ResponseBody, Transaction, VerifyPresentationOptions } from "../oid4vp/index.ts";
import type { loadEngine } from "../oid4vp/load-engine.ts";
import type { Store, WalletTransactionRecord } from "../store/index.ts";
import { awaitsWallet, responseChannel, transactionState, type ResponseChannel } from "./transaction-state.ts";

export type Engine = Awaited<ReturnType<typeof loadEngine>>;

/** What the wallet's answer established, kept with the transaction until the page or the relying party takes it. */
export interface PresentationResult {
  /** api: the claims per credential query, as the relying party reads them. Empty for sign-in and link. */
  claims: Record<string, Record<string, unknown>>;
  credentials: Record<string, { vct: string; issuerCertificateHash: string; holderKeyThumbprint: string }[]>;
  /**
   * signin and link: the one credential the account and the released claims come from (the first
   * credential query, in query order, that the response answered), its subject identifier, and
   * only the claims its credential query asked for.
   */
  account?: { queryId: string; vct: string; issuerCertificateHash: string; identifier: { name: string; value: string }; claims: Record<string, unknown> };
}

export type ResponseOutcome =
  /** `responseCode`: the single-use code the wallet's redirect_uri carries back to a browser, where there is one. */
  | { ok: true; record: WalletTransactionRecord; result: PresentationResult; responseCode: string | null }
  /** `ended`: whether the transaction is over (failed); junk and responses to another transaction end nothing. */
  | { ok: false; status: number; error: OAuthErrorCode; description: string; check: string; record: WalletTransactionRecord | null; ended: boolean };

export interface AcceptContext {
  store: Store;
  engine: Engine;
  verifyOptions: VerifyPresentationOptions;
  openTransaction(record: WalletTransactionRecord): Promise<Transaction>;
}

type Verdict = { ok: true; result: PresentationResult } | { ok: false; status: number; error: OAuthErrorCode; description: string; check: string };

/**
 * The wallet's POST to response_uri, in the order that keeps a stranger from ending a transaction:
 * first the answer must be the transaction's own (decrypts with its key, carries its state), and only
 * then is the transaction taken (once) and the presentation verified. A verification that fails ends
 * it as failed; so does an unexpected fault, which the wallet hears as a bare server_error.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.3.2
 */
export async function acceptWalletResponse(context: AcceptContext, tenant: string, id: string, body: ResponseBody, channel: ResponseChannel = "redirect"): Promise<ResponseOutcome> {
  const { store, engine } = context;
  const record = await store.walletTransactions.get(tenant, id);
  if (!record) return refused(404, "There is no such presentation request.", "transaction_unknown", null);
  // An answer on the other channel (a DC API answer posted straight to response_uri, or the reverse) is no answer: it ends nothing.
  if (responseChannel(record) !== channel) return refused(404, "There is no such presentation request.", "response_channel", record);
  const state = transactionState(record, nowSeconds());
  if (state === "expired") return refused(400, "The presentation request has expired.", "transaction_expired", record);
  if (!awaitsWallet(state)) return refused(400, "This presentation request was already answered.", "response_replayed", record);
  const transaction = await context.openTransaction(record);
  let opened: OpenedResponse;
  try {
    opened = await engine.openResponse(transaction, body);
  } catch (error) {
    if (!engine.isPresentationError(error)) throw error;
    return { ok: false, status: error.status, error: error.error, description: error.description, check: error.check, record, ended: false };
  }
  if (!(await store.walletTransactions.claimForResponse(tenant, id, nowSeconds()))) {
    const expired = transactionState(record, nowSeconds()) === "expired";
    return refused(400, expired ? "The presentation request has expired." : "This presentation request was already answered.", expired ? "transaction_expired" : "response_replayed", record);
  }
  let verdict: Verdict;
  try {
    verdict = await verify(context, record, transaction, opened);
  } catch (error) {
    // Never leave a transaction in `verifying`: the page would wait for it until it expires.
    await store.walletTransactions.finish(tenant, id, "failed", null, "the presentation could not be verified", null, "internal");
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`wallet verification fault: tenant=${tenant} transaction=${id} ${detail.replace(/\s+/g, " ").slice(0, 500)}`);
    return { ok: false, status: 500, error: "server_error", description: "The presentation could not be verified.", check: "internal", record, ended: true };
  }
  if (!verdict.ok) {
    await store.walletTransactions.finish(tenant, id, "failed", null, verdict.description, null, verdict.check);
    return { ...verdict, record, ended: true };
  }
  // OpenID4VP §8.2: at least 128 bits, redeemable once; the sign-in page redeems it with its
  // secret, the link page with the transaction id, the relying party with its credentials.
  const wantsCode = (record.purpose === "signin" && record.flow === "same_device") || record.purpose === "link" || (record.purpose === "api" && record.returnTo !== null);
  const responseCode = wantsCode ? randomId() : null;
  const resultJson = JSON.stringify(verdict.result);
  await store.walletTransactions.finish(tenant, id, "verified", resultJson, null, responseCode ? hashSecret(responseCode) : null);
  return { ok: true, record: { ...record, status: "verified", resultJson }, result: verdict.result, responseCode };
}

async function verify(context: AcceptContext, record: WalletTransactionRecord, transaction: Transaction, opened: OpenedResponse): Promise<Verdict> {
  const { engine } = context;
  try {
    const credentials = await engine.verifyCredentials(transaction, engine.readVpToken(opened), context.verifyOptions);
    let account: PresentationResult["account"];
    if (record.purpose !== "api") {
      const chosen = engine.chooseAuthenticationCredential(transaction.dcql_query, credentials);
      if (!chosen) return { ok: false, status: 400, error: "invalid_request", check: "dcql_unsatisfied", description: "a sign-in takes exactly one credential per credential query" };
      const identifier = engine.subjectIdentifierOf(chosen.credential.claims);
      if (!identifier) {
        return {
          ok: false, status: 400, error: "invalid_request", check: "subject_identifier",
          description: "the credential discloses no subject identifier (personal_administrative_number or sub), which a sign-in requires",
        };
      }
      const { vct, issuerCertificateHash, claims } = chosen.credential;
      account = { queryId: chosen.queryId, vct, issuerCertificateHash, identifier, claims: engine.requestedClaims(transaction.dcql_query, chosen.queryId, claims) };
    }
    engine.checkQueryFulfilled(transaction, credentials);
    return {
      ok: true,
      result: {
        // Only the verifier API hands the claims out as presented; a sign-in releases account.claims alone.
        claims: record.purpose === "api" ? engine.mergeClaims(credentials) : {},
        credentials: Object.fromEntries(Object.entries(credentials).map(([queryId, list]) => [queryId, list.map((c) => ({
          vct: c.vct, issuerCertificateHash: c.issuerCertificateHash, holderKeyThumbprint: c.holderKeyThumbprint,
        }))])),
        ...(account ? { account } : {}),
      },
    };
  } catch (error) {
    if (!engine.isPresentationError(error)) throw error;
    return { ok: false, status: error.status, error: error.error, description: error.description, check: error.check };
  }
}

function refused(status: number, description: string, check: string, record: WalletTransactionRecord | null): ResponseOutcome {
  return { ok: false, status, error: "invalid_request", description, check, record, ended: false };
}
