import { linkWallet } from "../login/index.ts";
import { decideLink, describeLink, takePageTransaction, verifiedResult, WalletQueryError } from "../verifier/index.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { AccountError } from "./account-error.ts";
import { endOtherSessions, requireCredentialChangeSession } from "./credential-change-session.ts";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** POST /account/v1/wallet/link: a presentation request whose wallet will be linked to this account, once the wallet's device confirms. */
export async function startWalletLink(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  let started;
  try {
    started = await services.wallet.start({ tenant: context.tenant.host, issuer: context.issuer, purpose: "link", sub: user.sub });
  } catch (error) {
    if (error instanceof WalletQueryError) throw new AccountError("invalid_input", `Linking a wallet is not available here: the tenant's query cannot bind an account (${error.message}).`, 400);
    throw error;
  }
  services.audit.record(context.tenant.host, "wallet.started", { transaction_id: started.transactionId, purpose: "link", sub: user.sub, ip: context.ip });
  return json({
    transaction_id: started.transactionId, wallet_url: started.walletUrl, expires_at: started.expiresAt, page_secret: started.pageSecret,
    qr_svg: await services.wallet.qrSvg(started.walletUrl),
  }, 201);
}

/**
 * POST /account/v1/wallet/link/finish {transaction_id, page_secret}: 202 while the wallet has not
 * answered, and after it answered until the device the wallet returned to confirms the link
 * (`awaiting_confirmation`: whoever scanned a relayed QR code sees which account it would join);
 * 200 once linked; 403 when that device declined or the credential carries no subject identifier.
 */
export async function finishWalletLink(services: Services, context: RequestContext, authorization: string | null, params: Params): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const id = params.get("transaction_id") ?? "";
  const taken = await takePageTransaction(services.store, context.tenant.host, { purpose: "link", id, secret: params.get("page_secret") ?? "", sub: user.sub });
  switch (taken.state) {
    case "unknown": throw new AccountError("not_found", "There is no such wallet link request.", 404);
    case "failed":
      if (taken.check === "link_declined") throw new AccountError("forbidden", "The link was declined on the device where your wallet opened. Nothing was linked.", 403);
      if (taken.check === "subject_identifier") throw new AccountError("forbidden", NO_IDENTIFIER, 403);
      throw new AccountError("invalid_input", `The wallet's answer was not accepted: ${taken.error}. Try again.`, 400);
    case "expired": throw new AccountError("invalid_input", "The wallet did not answer in time. Try again.", 400);
    case "completed": case "wrong_response_code": throw new AccountError("invalid_input", "This request was already used. Start again.", 400);
    case "waiting": return json({ status: taken.status }, 202);
  }
  const record = taken.record;
  const outcome = await linkWallet(services.store, context.tenant.host, user.sub, verifiedResult(record)!);
  if (outcome === "no_identifier") throw new AccountError("forbidden", NO_IDENTIFIER, 403);
  if (outcome === "linked_to_another_account") {
    throw new AccountError("conflict", "This wallet already signs in to another account here. Sign in with it to use that account.", 409);
  }
  if (outcome === "linked") {
    await endOtherSessions(services, user);
    services.audit.record(context.tenant.host, "wallet.linked", { sub: user.sub, username: user.username, transaction_id: id, ip: context.ip });
  }
  return json({ status: "linked" });
}

/**
 * POST /account/v1/wallet/link/describe {transaction_id, response_code}, no session: for the page the
 * wallet opened (wallet-link.html), which account the link would join. Decides nothing.
 */
export async function describeWalletLink(services: Services, context: RequestContext, _authorization: string | null, params: Params): Promise<Response> {
  const described = await describeLink(services.store, context.tenant.host, params.get("transaction_id") ?? "", params.get("response_code") ?? "");
  if (!described) throw new AccountError("not_found", "There is no wallet link waiting for this confirmation. It may have been answered already, or expired.", 404);
  return json({ username: described.username, tenant: context.tenant.host });
}

/**
 * POST /account/v1/wallet/link/confirm {transaction_id, response_code, decision: link|cancel}, no
 * session: the wallet's device confirms or declines the link, once (the response_code is spent).
 */
export async function confirmWalletLink(services: Services, context: RequestContext, _authorization: string | null, params: Params): Promise<Response> {
  const decision = params.get("decision");
  if (decision !== "link" && decision !== "cancel") throw new AccountError("invalid_input", "decision must be link or cancel.", 400);
  const id = params.get("transaction_id") ?? "";
  const decided = await decideLink(services.store, context.tenant.host, id, params.get("response_code") ?? "", decision === "link" ? "confirm" : "decline");
  if (!decided) throw new AccountError("not_found", "There is no wallet link waiting for this confirmation. It may have been answered already, or expired.", 404);
  services.audit.record(context.tenant.host, decision === "link" ? "wallet.link_confirmed" : "wallet.link_declined", { transaction_id: id, ip: context.ip });
  return json({ status: decision === "link" ? "confirmed" : "declined" });
}

const NO_IDENTIFIER = "Your wallet's credential does not disclose a personal identifier (personal_administrative_number or sub), so it cannot be linked to an account.";
