/** RFC 9101 §10.2 (kept here: importing the engine for a string would load all of it at start-up). */
const REQUEST_OBJECT_CONTENT_TYPE = "application/oauth-authz-req+jwt";
import type { AuditLog } from "../audit/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { WalletTransactionRecord } from "../store/index.ts";
import type { WalletVerifier } from "./wallet-verifier.ts";

/** What the wallet-facing endpoints need: the verifier and the audit trail (the app's services have both). */
export interface VerifierEndpointDeps {
  readonly wallet: WalletVerifier;
  readonly audit: AuditLog;
}

/** The request as far as these endpoints care: its tenant, the origin it came in on, the client's address. */
export interface VerifierRequest {
  readonly tenant: { readonly host: string };
  readonly issuer: string;
  readonly ip: string;
}

const noStore = { "Cache-Control": "no-store" };
const notFound = () => new OAuthError("invalid_request", "There is no live presentation request here.", { status: 404 });

/**
 * GET or POST /oid4vp/v1/request/{id}: the signed request object, as often as the wallet asks
 * while the transaction lives. POST carries wallet_metadata and wallet_nonce (request_uri_method=post).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.10
 */
export async function serveRequestObject(services: VerifierEndpointDeps, context: VerifierRequest, id: string, post: Params | null): Promise<Response> {
  const jwt = await services.wallet.requestObject(context.tenant.host, id, post ? post.toSearchParams() : null);
  if (!jwt) throw notFound();
  services.audit.record(context.tenant.host, "wallet.request_fetched", { transaction_id: id, method: post ? "POST" : "GET", ip: context.ip });
  return new Response(jwt, { headers: { "Content-Type": REQUEST_OBJECT_CONTENT_TYPE, ...noStore } });
}

/**
 * POST /oid4vp/v1/response/{id}: the wallet's direct_post(.jwt) answer. Verified: 200 with the
 * `redirect_uri` the wallet sends the browser to (HAIP 1.0 §5.1 makes it mandatory).
 * Rejected: a 4xx with the reason, and the audit log names the check; the transaction ends as failed
 * only when the answer was its own (decrypted with its key, with its state), so junk ends nothing.
 * An unexpected fault ends it too, and the wallet hears a bare 500 server_error.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.2
 */
export async function acceptWalletResponse(services: VerifierEndpointDeps, context: VerifierRequest, id: string, params: Params): Promise<Response> {
  const body = Object.fromEntries(params.toSearchParams());
  const outcome = await services.wallet.acceptResponse(context.tenant.host, id, body);
  if (!outcome.ok) {
    services.audit.record(context.tenant.host, "wallet.rejected", { transaction_id: id, check: outcome.check, reason: outcome.description, ended: outcome.ended, ip: context.ip });
    throw new OAuthError(outcome.error, outcome.description, { status: outcome.status, internal: `wallet response refused by ${outcome.check}: ${outcome.description}` });
  }
  services.audit.record(context.tenant.host, "wallet.verified", {
    transaction_id: id, purpose: outcome.record.purpose, client_id: outcome.record.clientId, credential_queries: Object.keys(outcome.result.credentials), ip: context.ip,
  });
  return Response.json({ redirect_uri: redirectAfterPresentation(context, outcome.record, outcome.responseCode) }, { headers: noStore });
}

/**
 * Where the wallet sends the browser after a verified answer. A same-device sign-in goes back to
 * the sign-in page with a single-use response_code that only the browser holding the transaction's
 * secret can redeem (OpenID4VP §14.2); a link to the page that asks, on the wallet's device, whether
 * to link it to the account named there; an API presentation to the client's redirect_uri with its
 * response_code, when the client gave one; anything else (a cross-device sign-in: the browser
 * that shows the QR code finishes it) to a page that says the wallet has answered.
 */
function redirectAfterPresentation(context: VerifierRequest, record: WalletTransactionRecord, responseCode: string | null): string {
  if (record.purpose === "signin" && record.flow === "same_device" && responseCode) {
    return `${context.issuer}/login.html?method=eu-wallet#${new URLSearchParams({ wallet_transaction: record.id, response_code: responseCode })}`;
  }
  if (record.purpose === "link" && responseCode) return `${context.issuer}/wallet-link.html#${new URLSearchParams({ transaction: record.id, response_code: responseCode })}`;
  if (record.purpose === "api" && record.returnTo && responseCode) return `${record.returnTo}#${new URLSearchParams({ response_code: responseCode })}`;
  return `${context.issuer}/wallet-done.html`;
}
