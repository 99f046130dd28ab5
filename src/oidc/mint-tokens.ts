import { SignJWT, base64url } from "jose";
import type { Client, GrantContext, User } from "../store/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { nowSeconds } from "../lib/time.ts";
import type { RequestContext, Services } from "./context.ts";
import { claimsForScopes } from "./scopes.ts";

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token?: string;
}

export const ACCESS_TOKEN_TYPE = "at+jwt";

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
  const key = await keyring.activeKey(context.tenant.host);
  const now = nowSeconds();
  const scopes = grant.scope.split(" ").filter((s) => s.length > 0);
  const accessExp = now + config.accessTokenTtl;
  const accessTokenPromise = new SignJWT({ client_id: client.clientId, scope: grant.scope, auth_time: grant.authTime, acr: grant.acr, amr: grant.amr, gid: grant.grantId })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(context.issuer)
    .setSubject(user.sub)
    .setAudience(context.issuer)
    .setIssuedAt(now)
    .setExpirationTime(accessExp)
    .setJti(randomId(16))
    .sign(key.privateKey);

  const refreshToken = randomId(32);
  const refreshTtl = client.refreshTokenTtl ?? config.refreshTokenTtl;
  const stored = await services.store.grants.issueRefreshToken({
    tenant: context.tenant.host,
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
    const digest = new Bun.CryptoHasher("sha256").update(accessToken).digest();
    const atHash = base64url.encode(new Uint8Array(digest).subarray(0, 16));
    idToken = await new SignJWT({
      ...claimsForScopes(user, scopes, grant.claims),
      auth_time: grant.authTime,
      ...(grant.nonce !== null ? { nonce: grant.nonce } : {}),
      at_hash: atHash,
      amr: grant.amr,
      acr: grant.acr,
      azp: client.clientId,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
      .setIssuer(context.issuer)
      .setSubject(user.sub)
      .setAudience(client.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + config.accessTokenTtl)
      .sign(key.privateKey);
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
