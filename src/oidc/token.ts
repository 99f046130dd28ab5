import type { Client, User } from "../store/index.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import { authenticateClient } from "./client-authentication.ts";
import type { RequestContext, Services } from "./context.ts";
import { mintTokens, type TokenResponse } from "./mint-tokens.ts";
import { verifyPkce } from "./pkce.ts";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/**
 * The token endpoint: authorization_code and refresh_token grants.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function token(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response> {
  const repeated = params.repeatedAmong(["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope"]);
  if (repeated.length > 0) throw new OAuthError("invalid_request", `Parameters must not repeat: ${repeated.join(", ")}.`);
  const grantType = params.get("grant_type");
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  const { client } = await authenticateClient(services.store, context.tenant.host, context.issuer, authorization, params);
  let response: TokenResponse;
  if (grantType === "authorization_code") response = await exchangeCode(services, context, client, params);
  else if (grantType === "refresh_token") response = await refresh(services, context, client, params);
  else throw new OAuthError("unsupported_grant_type", "Supported grant types: authorization_code, refresh_token.");
  return Response.json(response, { headers: NO_STORE });
}

/** Burns the code on first use; a second use fails and revokes every token the first produced. */
async function exchangeCode(services: Services, context: RequestContext, client: Client, params: Params): Promise<TokenResponse> {
  const tenant = context.tenant.host;
  const code = params.get("code");
  if (!code) throw new OAuthError("invalid_request", "code is required.");
  const result = code.length <= 256 ? await services.store.codes.consume(tenant, hashSecret(code)) : { status: "missing" as const };
  if (result.status === "missing") throw new OAuthError("invalid_grant", "The authorization code is invalid.");
  const record = result.record;
  if (result.status === "reused") {
    await services.store.grants.revokeGrant(tenant, record.grantId, nowSeconds());
    services.audit.record(tenant, "code.reused", { client_id: record.clientId, sub: record.sub, ip: context.ip });
    throw new OAuthError("invalid_grant", "The authorization code was already used; tokens issued from it are revoked.");
  }
  if (record.expiresAt < nowSeconds()) throw new OAuthError("invalid_grant", "The authorization code has expired.");
  if (record.clientId !== client.clientId) throw new OAuthError("invalid_grant", "The authorization code was issued to another client.");
  if (params.get("redirect_uri") !== record.redirectUri) throw new OAuthError("invalid_grant", "redirect_uri does not match the authorization request.");
  verifyPkce(record.codeChallenge, params.get("code_verifier"));
  const user = await activeUser(services, tenant, record.sub);
  const response = await mintTokens(services, context, client, user, record);
  services.audit.record(tenant, "token.issued", { client_id: client.clientId, sub: user.sub, grant: "authorization_code", ip: context.ip });
  return response;
}

/** Rotates the refresh token; presenting a spent one revokes its whole family. */
async function refresh(services: Services, context: RequestContext, client: Client, params: Params): Promise<TokenResponse> {
  const tenant = context.tenant.host;
  const presented = params.get("refresh_token");
  if (!presented) throw new OAuthError("invalid_request", "refresh_token is required.");
  const tokenHash = hashSecret(presented);
  const existing = presented.length <= 256 ? await services.store.grants.findRefreshToken(tenant, tokenHash) : null;
  // Check the client before consuming, so another client cannot burn someone's token.
  if (!existing || existing.clientId !== client.clientId) throw new OAuthError("invalid_grant", "The refresh token is invalid.");
  if (existing.used) return refreshReused(services, context, existing.grantId, existing.sub);
  // Every check that can refuse comes before the token is spent: an error changes nothing (RFC 6749 §5.2).
  if (existing.expiresAt < nowSeconds()) throw new OAuthError("invalid_grant", "The refresh token has expired.");
  if (await services.store.grants.isGrantRevoked(tenant, existing.grantId)) throw new OAuthError("invalid_grant", "The refresh token has been revoked.");
  let scope = existing.scope;
  const requested = params.get("scope");
  if (requested !== undefined) {
    const granted = new Set(existing.scope.split(" "));
    const narrowed = requested.split(" ").filter((s) => s.length > 0);
    if (narrowed.some((s) => !granted.has(s))) throw new OAuthError("invalid_scope", "A refresh cannot widen the scope.");
    scope = narrowed.join(" ");
  }
  const user = await activeUser(services, tenant, existing.sub);
  const result = await services.store.grants.consumeRefreshToken(tenant, tokenHash);
  if (result.status === "missing") throw new OAuthError("invalid_grant", "The refresh token is invalid.");
  // A concurrent request spent it between the checks and here: that is reuse too.
  if (result.status === "reused") return refreshReused(services, context, existing.grantId, existing.sub);
  const record = result.record;
  const response = await mintTokens(services, context, client, user, { ...record, scope, nonce: null });
  services.audit.record(tenant, "token.refreshed", { client_id: client.clientId, sub: user.sub, ip: context.ip });
  return response;
}

async function refreshReused(services: Services, context: RequestContext, grantId: string, sub: string): Promise<never> {
  await services.store.grants.revokeGrant(context.tenant.host, grantId, nowSeconds());
  services.audit.record(context.tenant.host, "refresh.reused", { sub, ip: context.ip });
  throw new OAuthError("invalid_grant", "The refresh token was already used; its family is revoked.");
}

async function activeUser(services: Services, tenant: string, sub: string): Promise<User> {
  const user = await services.store.users.findBySub(tenant, sub);
  if (!user || user.disabled) throw new OAuthError("invalid_grant", "The user is no longer active.");
  return user;
}
