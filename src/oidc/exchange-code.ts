import type { RequestContext, Services } from "../context/index.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Client } from "../store/index.ts";
import { activeUser } from "./active-user.ts";
import { verifyPkce } from "./check-pkce.ts";
import { mintTokens, type TokenResponse } from "./mint-tokens.ts";

/** Burns the code on first use; a second use fails and revokes every token the first produced. */
export async function exchangeCode(services: Services, context: RequestContext, client: Client, params: Params): Promise<TokenResponse> {
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
