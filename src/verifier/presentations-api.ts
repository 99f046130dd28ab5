import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { DcqlQueryInput } from "../oid4vp/index.ts";
import type { Client, Store } from "../store/index.ts";
import { chooseClientOrigin, dcApiStartError } from "./dc-api-endpoints.ts";
import { transactionState, verifiedResult } from "./transaction-state.ts";
import type { VerifierEndpointDeps, VerifierRequest } from "./wallet-endpoints.ts";

const noStore = { "Cache-Control": "no-store" };

/** The verifier API also reads transactions from the store. */
export interface PresentationsApiDeps extends VerifierEndpointDeps {
  readonly store: Store;
}

/**
 * POST /oid4vp/v1/presentations {dcql_query?, response_mode?, client_id_prefix?, redirect_uri?, expected_origin?}: a presentation request of the
 * relying party's own, answered with the wallet URL; the same pipeline as wallet sign-in. With response_mode dc_api.jwt (or dc_api
 * where the operator allows it) it is answered with the signed request for the client's page to pass to navigator.credentials.get. `client` is
 * the confidential client the caller authenticated (the route does that, with the OAuth client authentication).
 */
export async function createPresentation(services: PresentationsApiDeps, context: VerifierRequest, client: Client, params: Params): Promise<Response> {
  const mode = params.get("response_mode");
  if (mode !== undefined && mode !== "direct_post.jwt" && mode !== "direct_post" && mode !== "dc_api.jwt" && mode !== "dc_api") {
    throw new OAuthError("invalid_request", "response_mode must be direct_post.jwt, direct_post, dc_api.jwt or dc_api.");
  }
  let dcqlQuery: DcqlQueryInput | undefined;
  const queryText = params.get("dcql_query");
  if (queryText !== undefined) {
    try {
      dcqlQuery = await services.wallet.checkQuery(JSON.parse(queryText));
    } catch (error) {
      throw new OAuthError("invalid_request", `dcql_query is not a valid DCQL query: ${(error as Error).message.slice(0, 200)}`);
    }
  }
  const prefix = params.get("client_id_prefix");
  if (prefix !== undefined && prefix !== "x509_hash" && prefix !== "x509_san_dns") {
    throw new OAuthError("invalid_request", "client_id_prefix must be x509_hash or x509_san_dns.");
  }
  // Same-device: the wallet will send the browser back here with a response_code (exactly a registered redirect URI).
  const redirectUri = params.get("redirect_uri");
  if (redirectUri !== undefined && !client.redirectUris.includes(redirectUri)) {
    throw new OAuthError("invalid_request", "redirect_uri must be one of the client's registered redirect URIs.");
  }
  if (mode === "dc_api.jwt" || mode === "dc_api") {
    // Appendix A: the answer comes back through the relying party's page, never by redirect.
    if (redirectUri !== undefined) throw new OAuthError("invalid_request", "redirect_uri does not apply to a Digital Credentials API presentation.");
    const origin = chooseClientOrigin(client, params.get("expected_origin"));
    const dc = await services.wallet.startDcApi({
      tenant: context.tenant.host, issuer: context.issuer, purpose: "api", clientId: client.clientId, dcqlQuery, responseMode: mode, clientIdPrefix: prefix, origin,
    }).catch(dcApiStartError);
    services.audit.record(context.tenant.host, "wallet.started", { transaction_id: dc.transactionId, purpose: "api", channel: "dc_api", client_id: client.clientId, ip: context.ip });
    return Response.json(
      { transaction_id: dc.transactionId, dc_api_request: dc.dcApiRequest, expected_origin: origin, response_uri: dc.responseUri, expires_at: dc.expiresAt },
      { status: 201, headers: noStore },
    );
  }
  const started = await services.wallet.start({
    tenant: context.tenant.host, issuer: context.issuer, purpose: "api", clientId: client.clientId, dcqlQuery, responseMode: mode, returnTo: redirectUri ?? null, clientIdPrefix: prefix,
  });
  services.audit.record(context.tenant.host, "wallet.started", { transaction_id: started.transactionId, purpose: "api", client_id: client.clientId, ip: context.ip });
  return Response.json(
    { transaction_id: started.transactionId, wallet_url: started.walletUrl, request_uri: started.requestUri, expires_at: started.expiresAt },
    { status: 201, headers: noStore },
  );
}

/**
 * GET /oid4vp/v1/presentations/{id}: its status and, once verified, the claims per credential query.
 * Another client's is not found. A presentation made with a redirect_uri releases its claims only
 * with the response_code the wallet's redirect carried (session fixation, OpenID4VP §14.2).
 */
export async function readPresentation(services: PresentationsApiDeps, context: VerifierRequest, client: Client, params: Params, id: string): Promise<Response> {
  const record = id.length <= 128 ? await services.store.walletTransactions.get(context.tenant.host, id) : null;
  if (!record || record.purpose !== "api" || record.clientId !== client.clientId) throw new OAuthError("not_found", "There is no such presentation.");
  const state = transactionState(record, nowSeconds());
  if (state === "expired") return Response.json({ status: "expired" }, { headers: noStore });
  if (state === "verified" || state === "completed") {
    if (record.returnTo) {
      const code = params.get("response_code");
      if (!code || !record.responseCodeHash || !constantTimeEqual(record.responseCodeHash, hashSecret(code))) {
        throw new OAuthError("invalid_request", "This presentation came back through the browser: give the response_code its redirect carried.");
      }
    }
    return Response.json({ status: "verified", claims: verifiedResult(record)?.claims ?? {} }, { headers: noStore });
  }
  if (state === "failed") return Response.json({ status: "failed", error: record.error ?? "rejected" }, { headers: noStore });
  return Response.json({ status: state === "verifying" ? "retrieved" : state }, { headers: noStore });
}
