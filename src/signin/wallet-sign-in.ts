import { walletAccount } from "../login/index.ts";
import { refuseUnlessOffered } from "./method-offered.ts";
import { takePageTransaction, verifiedResult, WalletQueryError, type PageTransaction } from "../verifier/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { admitStart } from "./admit-start.ts";
import { parseReturn } from "./parse-return.ts";
import { completeFreshSignIn } from "./complete-sign-in.ts";

const noStore = { "Cache-Control": "no-store" };

/**
 * wallet-start {return, flow?}: a presentation transaction for the pending authorization request,
 * with its QR code and the page's secret. `flow`: `cross_device` (the QR code; the default) or
 * `same_device` (the page opens the wallet on this device; only the response_code the wallet brings
 * back completes it, so a relayed request is worthless to whoever started it, OpenID4VP §14.2), or
 * `dc_api` (the signed request for navigator.credentials.get, bound to this origin; the page posts
 * the answer to /oid4vp/v1/dc-response/{id} and then completes as after a QR code, OpenID4VP Appendix A).
 */
export async function walletStart(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "eu-wallet");
  const returnTo = params.get("return");
  const flow = params.get("flow") ?? "cross_device";
  if (flow !== "same_device" && flow !== "cross_device" && flow !== "dc_api") throw new OAuthError("invalid_request", "flow must be same_device, cross_device or dc_api.");
  const request = await parseReturn(services, context, returnTo);
  await admitStart(services, context, "wallet");
  const base = { tenant: context.tenant.host, issuer: context.issuer, purpose: "signin", returnTo: returnTo!, clientId: request.client.clientId } as const;
  try {
    if (flow === "dc_api") {
      // HAIP 1.0 §5.2: encrypted (dc_api.jwt); expected_origins is this page's origin, the tenant's.
      const dc = await services.wallet.startDcApi({ ...base, responseMode: "dc_api.jwt", origin: new URL(context.issuer).origin });
      services.audit.record(context.tenant.host, "wallet.started", { transaction_id: dc.transactionId, purpose: "signin", flow, ip: context.ip });
      return Response.json({
        transaction_id: dc.transactionId, dc_api_request: dc.dcApiRequest, response_uri: dc.responseUri, expires_at: dc.expiresAt, page_secret: dc.pageSecret,
      }, { status: 201, headers: noStore });
    }
    const started = await services.wallet.start({ ...base, flow });
    services.audit.record(context.tenant.host, "wallet.started", { transaction_id: started.transactionId, purpose: "signin", flow, ip: context.ip });
    return Response.json({
      transaction_id: started.transactionId, wallet_url: started.walletUrl, request_uri: started.requestUri, expires_at: started.expiresAt,
      page_secret: started.pageSecret, qr_svg: await services.wallet.qrSvg(started.walletUrl),
    }, { status: 201, headers: noStore });
  } catch (error) {
    if (error instanceof WalletQueryError) {
      throw new OAuthError("invalid_request", `EU Wallet sign-in is not available for this application: its query cannot bind an account (${error.message}).`);
    }
    throw error;
  }
}

/**
 * wallet-finish: the page asks, with its secret, how its transaction is doing (in the same-device
 * flow it also brings the response_code the wallet sent the browser back with). Not ready: 202
 * with the status; a same-device sign-in stays there (`answered`) for every call without its
 * response_code. Verified: the sign-in completes exactly once, answered as the login endpoint
 * answers. Rejected or expired: a 400 the page shows, with a retry; a credential that discloses
 * no subject identifier: a 403, since trying again with it cannot help.
 */
export async function walletFinish(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "eu-wallet");
  const id = params.get("transaction_id");
  const secret = params.get("page_secret");
  if (!id || !secret) throw new OAuthError("invalid_request", "transaction_id and page_secret are required.");
  const taken = await takePageTransaction(services.store, context.tenant.host, { purpose: "signin", id, secret, responseCode: params.get("response_code") });
  switch (taken.state) {
    case "unknown": throw new OAuthError("invalid_request", "There is no such wallet sign-in.", { status: 404 });
    case "failed": throw failure(taken);
    case "expired": throw new OAuthError("access_denied", "The wallet did not answer in time. Try again.");
    // 409: the sign-in finished, in this browser's other tab (same-device return) or by an earlier call.
    case "completed": throw new OAuthError("invalid_request", "This wallet sign-in was already completed, in another tab or by an earlier request.", { status: 409 });
    case "wrong_response_code": throw new OAuthError("invalid_grant", "This wallet sign-in link is not valid. Start again.");
    case "waiting": return Response.json({ status: taken.status }, { status: 202, headers: noStore });
  }
  const record = taken.record;
  const request = await parseReturn(services, context, record.returnTo ?? undefined);
  const allowSignup = (await services.store.verifiers.settings(context.tenant.host))?.walletSignup ?? true;
  const account = await walletAccount(services.store, context.tenant.host, verifiedResult(record)!, allowSignup);
  if (!account.ok) {
    throw account.reason === "not_linked"
      ? new OAuthError("access_denied", "This wallet is not linked to an account here. Sign in another way and link it from your account page.", { status: 403 })
      : account.reason === "no_identifier"
        ? new OAuthError("access_denied", NO_IDENTIFIER, { status: 403 })
        : new OAuthError("access_denied", "The account linked to this wallet may not sign in.", { status: 403 });
  }
  if (account.created) services.audit.record(context.tenant.host, "wallet.signup", { sub: account.user.sub, username: account.user.username, ip: context.ip });
  return completeFreshSignIn(services, context, request, account.authentication, { method: "eu-wallet", username: account.user.username, transaction_id: id });
}

const NO_IDENTIFIER = "Your wallet's credential does not disclose a personal identifier (personal_administrative_number or sub), so it cannot sign in to an account here. Sign in another way.";

/** A failed transaction as the page shows it: a credential that cannot bind an account is refused outright, anything else may be tried again. */
function failure(taken: Extract<PageTransaction, { state: "failed" }>): OAuthError {
  if (taken.check === "subject_identifier") return new OAuthError("access_denied", NO_IDENTIFIER, { status: 403 });
  if (taken.check === "internal") return new OAuthError("access_denied", "The wallet's answer could not be checked. Try again.");
  return new OAuthError("access_denied", `The wallet's answer was not accepted: ${taken.error}. Try again.`);
}
