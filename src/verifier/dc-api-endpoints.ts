import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { Client } from "../store/index.ts";
import type { PresentationsApiDeps } from "./presentations-api.ts";
import type { VerifierRequest } from "./wallet-endpoints.ts";
import { WalletQueryError } from "./wallet-verifier.ts";

const noStore = { "Cache-Control": "no-store" };
/** What navigator.credentials.get resolved with, as the page or the relying party posts it: the DigitalCredential's protocol and its data's members. */
const ANSWER_FIELDS = ["protocol", "response", "vp_token", "error", "error_description"] as const;

/**
 * POST /oid4vp/v1/dc-response/{id} {page_secret, protocol, response | vp_token | error}: the sign-in
 * page posts what the Digital Credentials API gave it. Only the page that started the transaction
 * (its secret) may answer it, so a stolen DC API answer cannot be spent by another browser; a
 * relayed request fails at the wallet or at the origin-bound audience. Verified: 200, and the page
 * completes the sign-in with wallet-finish, as after a QR code.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 */
export async function acceptDcApiPageResponse(services: PresentationsApiDeps, context: VerifierRequest, id: string, params: Params): Promise<Response> {
  const secret = params.get("page_secret") ?? "";
  const record = id.length > 0 && id.length <= 128 ? await services.store.walletTransactions.get(context.tenant.host, id) : null;
  if (!record || record.purpose !== "signin" || !record.pageSecretHash || !constantTimeEqual(record.pageSecretHash, hashSecret(secret))) {
    throw new OAuthError("invalid_request", "There is no live presentation request here.", { status: 404 });
  }
  await accept(services, context, id, params);
  return Response.json({ status: "verified" }, { headers: noStore });
}

/**
 * POST /oid4vp/v1/presentations/{id}/response: the relying party's backend posts what its page's
 * navigator.credentials.get returned for a DC API presentation it made; answered with the claims.
 * Another client's presentation is not found.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 */
export async function acceptDcApiPresentation(services: PresentationsApiDeps, context: VerifierRequest, client: Client, params: Params, id: string): Promise<Response> {
  const record = id.length <= 128 ? await services.store.walletTransactions.get(context.tenant.host, id) : null;
  if (!record || record.purpose !== "api" || record.clientId !== client.clientId) throw new OAuthError("not_found", "There is no such presentation.");
  const claims = await accept(services, context, id, params);
  return Response.json({ status: "verified", claims }, { headers: noStore });
}

async function accept(services: PresentationsApiDeps, context: VerifierRequest, id: string, params: Params): Promise<Record<string, Record<string, unknown>>> {
  const body = Object.fromEntries(ANSWER_FIELDS.flatMap((name) => (params.get(name) !== undefined ? [[name, params.get(name)!]] : [])));
  const outcome = await services.wallet.acceptResponse(context.tenant.host, id, body, "dc_api");
  if (!outcome.ok) {
    services.audit.record(context.tenant.host, "wallet.rejected", { transaction_id: id, channel: "dc_api", check: outcome.check, reason: outcome.description, ended: outcome.ended, ip: context.ip });
    throw new OAuthError(outcome.error, outcome.description, { status: outcome.status, internal: `DC API answer refused by ${outcome.check}: ${outcome.description}` });
  }
  services.audit.record(context.tenant.host, "wallet.verified", {
    transaction_id: id, channel: "dc_api", purpose: outcome.record.purpose, client_id: outcome.record.clientId, credential_queries: Object.keys(outcome.result.credentials), ip: context.ip,
  });
  return outcome.result.claims;
}

/**
 * The origins a client's page may call the DC API from: those of its registered redirect URIs
 * (there is no separate client setting). One is the transaction's expected Origin: the one asked
 * for, or the only one there is.
 */
export function chooseClientOrigin(client: Client, asked: string | undefined): string {
  const origins = [...new Set(client.redirectUris.flatMap((uri) => {
    try {
      const url = new URL(uri);
      return url.protocol === "https:" || url.protocol === "http:" ? [url.origin] : [];
    } catch {
      return [];
    }
  }))];
  if (asked !== undefined) {
    if (!origins.includes(asked)) throw new OAuthError("invalid_request", "expected_origin must be the origin of one of the client's registered redirect URIs.");
    return asked;
  }
  if (origins.length !== 1) throw new OAuthError("invalid_request", `The client has ${origins.length} registered origins: say which page calls the API with expected_origin.`);
  return origins[0]!;
}

/** A DC API transaction that cannot start (an origin wallets would refuse, dc_api not allowed): a 400 saying why. */
export function dcApiStartError(error: unknown): never {
  if (error instanceof WalletQueryError) throw new OAuthError("invalid_request", error.message);
  throw error;
}
