import { linkWallet, type PresentationResult } from "../login/index.ts";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { RequestContext, Services } from "../oidc/index.ts";
import { AccountError } from "./account-error.ts";
import { requireAccountSession } from "./account-session.ts";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** POST /account/v1/wallet/link: a presentation request whose wallet will be linked to this account. */
export async function startWalletLink(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireAccountSession(services, context, authorization);
  const started = await services.wallet.start({ tenant: context.tenant.host, issuer: context.issuer, purpose: "link", sub: user.sub });
  services.audit.record(context.tenant.host, "wallet.started", { transaction_id: started.transactionId, purpose: "link", sub: user.sub, ip: context.ip });
  return json({
    transaction_id: started.transactionId, wallet_url: started.walletUrl, expires_at: started.expiresAt, page_secret: started.pageSecret,
    qr_svg: await services.wallet.qrSvg(started.walletUrl),
  }, 201);
}

/** POST /account/v1/wallet/link/finish {transaction_id, page_secret}: 202 while waiting, 200 once linked. */
export async function finishWalletLink(services: Services, context: RequestContext, authorization: string | null, params: Params): Promise<Response> {
  const { user } = await requireAccountSession(services, context, authorization);
  const id = params.get("transaction_id") ?? "";
  const secret = params.get("page_secret") ?? "";
  const record = id && id.length <= 128 ? await services.store.walletTransactions.get(context.tenant.host, id) : null;
  if (!record || record.purpose !== "link" || record.sub !== user.sub || !record.pageSecretHash || !constantTimeEqual(record.pageSecretHash, hashSecret(secret))) {
    throw new AccountError("not_found", "There is no such wallet link request.", 404);
  }
  if (record.status === "failed") throw new AccountError("invalid_input", `The wallet's answer was not accepted: ${record.error ?? "it failed a check"}. Try again.`, 400);
  if (record.status === "completed") throw new AccountError("invalid_input", "This request was already used. Start again.", 400);
  if (record.status !== "verified") {
    if (record.expiresAt <= nowSeconds()) throw new AccountError("invalid_input", "The wallet did not answer in time. Try again.", 400);
    return json({ status: record.status === "verifying" ? "retrieved" : record.status }, 202);
  }
  if (!(await services.store.walletTransactions.complete(context.tenant.host, id))) throw new AccountError("invalid_input", "This request was already used. Start again.", 400);
  const outcome = await linkWallet(services.store, context.tenant.host, user.sub, JSON.parse(record.resultJson!) as PresentationResult);
  if (outcome === "linked_to_another_account") {
    throw new AccountError("conflict", "This wallet already signs in to another account here. Sign in with it to use that account.", 409);
  }
  if (outcome === "linked") services.audit.record(context.tenant.host, "wallet.linked", { sub: user.sub, username: user.username, transaction_id: id, ip: context.ip });
  return json({ status: "linked" });
}
