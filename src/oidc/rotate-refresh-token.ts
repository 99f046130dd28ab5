import type { RequestContext, Services } from "../context/index.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Client } from "../store/index.ts";
import { activeUser } from "./active-user.ts";
import { mintTokens, type TokenResponse } from "./mint-tokens.ts";

/** Rotates the refresh token; presenting a spent one revokes its whole family. */
export async function refresh(services: Services, context: RequestContext, client: Client, params: Params): Promise<TokenResponse> {
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
