import { base64url } from "jose";
import { createHash } from "node:crypto";
import { signAccessToken, signIdToken } from "../keys/index.ts";
import type { Client, GrantContext, User } from "../store/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { nowSeconds } from "../lib/time.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { claimsForScopes } from "./scopes.ts";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token?: string;
}

/**
 * Mints the three tokens of a grant: an RS256 access token (RFC 9068 profile),
 * an RS256 id_token when `openid` was granted, and an opaque rotating refresh
 * token stored only as its hash. Two RSA signatures per exchange, the least
 * this design allows (the id_token's at_hash needs the signed access token);
 * WebCrypto signs off the event loop, so the refresh token is stored meanwhile.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.2
 */
export async function mintTokens(
  services: Services,
  context: RequestContext,
  client: Client,
  user: User,
  grant: GrantContext & { grantId: string; nonce: string | null },
): Promise<TokenResponse> {
  const { config, keyring } = services;
  const tenant = context.tenant.host;
  const now = nowSeconds();
  const scopes = grant.scope.split(" ").filter((s) => s.length > 0);
  const accessTokenPromise = signAccessToken(keyring, tenant, {
    client_id: client.clientId, scope: grant.scope, auth_time: grant.authTime, acr: grant.acr, amr: grant.amr, gid: grant.grantId,
    iss: context.issuer, sub: user.sub, aud: context.issuer, iat: now, exp: now + config.accessTokenTtl, jti: randomId(16),
  });

  const refreshToken = randomId(32);
  const refreshTtl = client.refreshTokenTtl ?? config.refreshTokenTtl;
  const stored = await services.store.grants.issueRefreshToken({
    tenant,
    tokenHash: hashSecret(refreshToken),
    grantId: grant.grantId,
    clientId: client.clientId,
    sub: user.sub,
    scope: grant.scope,
    authTime: grant.authTime,
    amr: grant.amr,
    acr: grant.acr,
    claims: grant.claims,
    expiresAt: now + refreshTtl,
  });
  if (!stored) throw new OAuthError("invalid_grant", "The grant has been revoked.");

  const accessToken = await accessTokenPromise;
  let idToken: string | undefined;
  if (scopes.includes("openid")) {
    const atHash = base64url.encode(createHash("sha256").update(accessToken).digest().subarray(0, 16));
    idToken = await signIdToken(keyring, tenant, {
      ...claimsForScopes(user, scopes, grant.claims),
      auth_time: grant.authTime,
      ...(grant.nonce !== null ? { nonce: grant.nonce } : {}),
      at_hash: atHash,
      amr: grant.amr,
      acr: grant.acr,
      azp: client.clientId,
      iss: context.issuer, sub: user.sub, aud: client.clientId, iat: now, exp: now + config.accessTokenTtl,
    });
  }
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: config.accessTokenTtl,
    refresh_token: refreshToken,
    scope: grant.scope,
    ...(idToken ? { id_token: idToken } : {}),
  };
}
