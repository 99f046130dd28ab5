import { linkWallet, takePageTransaction, type PresentationResult } from "../login/index.ts";
import type { Params } from "../lib/params.ts";
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
  const taken = await takePageTransaction(services.store, context.tenant.host, { purpose: "link", id, secret: params.get("page_secret") ?? "", sub: user.sub });
  switch (taken.state) {
    case "unknown": throw new AccountError("not_found", "There is no such wallet link request.", 404);
    case "failed": throw new AccountError("invalid_input", `The wallet's answer was not accepted: ${taken.error}. Try again.`, 400);
    case "expired": throw new AccountError("invalid_input", "The wallet did not answer in time. Try again.", 400);
    case "completed": case "wrong_response_code": throw new AccountError("invalid_input", "This request was already used. Start again.", 400);
    case "waiting": return json({ status: taken.status }, 202);
  }
  const record = taken.record;
  const outcome = await linkWallet(services.store, context.tenant.host, user.sub, JSON.parse(record.resultJson!) as PresentationResult);
  if (outcome === "linked_to_another_account") {
    throw new AccountError("conflict", "This wallet already signs in to another account here. Sign in with it to use that account.", 409);
  }
  if (outcome === "linked") services.audit.record(context.tenant.host, "wallet.linked", { sub: user.sub, username: user.username, transaction_id: id, ip: context.ip });
  return json({ status: "linked" });
}
