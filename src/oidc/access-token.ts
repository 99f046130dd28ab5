import type { RequestContext, Services } from "../context/index.ts";
import { readAccessToken, type AccessTokenClaims } from "../keys/index.ts";
import { findClient } from "./find-client.ts";

export type { AccessTokenClaims };

/**
 * Verifies an access token this tenant minted (keys/access-token.ts: signature, typ, this
 * issuer and audience, expiry) and that neither the token nor its grant was revoked: revocation
 * makes a JWT inactive, although it is a JWT. A token lives no longer than its client: a removed
 * client's tokens are inactive, and so are tokens issued before a client of the same client_id was
 * registered again. Null for a token that fails; a store that fails throws (a server_error), it
 * does not make a good token look inactive.
 */
export async function verifyAccessToken(services: Services, context: RequestContext, token: string): Promise<AccessTokenClaims | null> {
  const claims = await readAccessToken(services.keyring, context.tenant.host, context.issuer, token);
  if (!claims) return null;
  const client = await findClient(services.store, context.tenant.host, context.issuer, claims.client_id);
  if (!client || claims.iat < client.createdAt) return null;
  if (await services.store.grants.isAccessTokenRevoked(context.tenant.host, claims.jti, claims.gid)) return null;
  return claims;
}
