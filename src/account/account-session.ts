import { verifyAccessToken, type AccessTokenClaims } from "../oidc/index.ts";
import { ACCOUNT_CLIENT_ID } from "../tenant/index.ts";
import type { RequestContext, Services } from "../context/index.ts";
import type { User } from "../store/index.ts";
import { AccountError } from "./account-error.ts";

/**
 * The account page's cookie-free session: an access token issued to the built-in account
 * client, sent as a Bearer token. Tokens of any other client are refused, so a relying
 * party cannot act on a user's account with the token it was given.
 */
export async function requireAccountSession(services: Services, context: RequestContext, authorization: string | null): Promise<{ user: User; claims: AccessTokenClaims }> {
  const token = authorization !== null && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : null;
  if (!token) throw new AccountError("unauthenticated", "Sign in to manage your account.", 401);
  const claims = await verifyAccessToken(services, context, token);
  if (!claims) throw new AccountError("unauthenticated", "Your session has ended. Sign in again.", 401);
  if (claims.client_id !== ACCOUNT_CLIENT_ID) throw new AccountError("forbidden", "This token was issued to an application, not to the account page.", 403);
  const user = await services.store.users.findBySub(context.tenant.host, claims.sub);
  if (!user || user.disabled) throw new AccountError("unauthenticated", "This account is no longer active.", 401);
  return { user, claims };
}
