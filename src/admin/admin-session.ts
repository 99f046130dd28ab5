import type { RequestContext, Services } from "../context/index.ts";
import { verifyAccessToken } from "../oidc/index.ts";
import { CLIENT_CREDENTIALS_GTY } from "../oidc/client-credentials.ts";
import { ADMIN_CLIENT_ID } from "../tenant/index.ts";
import { AdminError } from "./admin-error.ts";

/** The scope that makes a client_credentials token an admin principal. */
export const ADMIN_SCOPE = "sigil:admin";

/** Who is acting: an admin user signed in to the console, or a machine client given `sigil:admin`. */
export type AdminPrincipal =
  | { kind: "user"; sub: string; username: string }
  | { kind: "client"; clientId: string };

/**
 * Every admin API request is authorised here, server-side, from the Bearer token alone:
 * (a) a user's access token issued by this tenant to the built-in admin console client, whose
 * user is (still) an enabled admin, or (b) a client_credentials token carrying `sigil:admin` whose
 * client still exists and still has that scope. The token's user or client is read again on every
 * request, so a demoted admin or a removed client loses access at once. A token issued to any other
 * client (a relying party, the account page) is refused even for an admin user: an application that
 * holds an admin's token must not become admin (token confusion). Another tenant's, an expired and a
 * revoked token fail verification (issuer, signature, expiry, revocation).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export async function requireAdmin(services: Services, context: RequestContext, authorization: string | null): Promise<AdminPrincipal> {
  const token = authorization !== null && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : null;
  if (!token) throw new AdminError("unauthenticated", "Send an access token: Authorization: Bearer <token>.", 401);
  const claims = await verifyAccessToken(services, context, token);
  if (!claims) throw new AdminError("unauthenticated", "The access token is invalid, expired or revoked.", 401);
  const tenant = context.tenant.host;
  if (claims.gty === CLIENT_CREDENTIALS_GTY) {
    if (!claims.scope.split(" ").includes(ADMIN_SCOPE)) throw new AdminError("insufficient_scope", `This client token does not carry ${ADMIN_SCOPE}.`, 403);
    const client = await services.store.clients.get(tenant, claims.client_id);
    if (!client || !client.grantTypes.includes("client_credentials")) throw new AdminError("unauthenticated", "The client this token was issued to no longer exists.", 401);
    if (!client.scopes.includes(ADMIN_SCOPE)) throw new AdminError("insufficient_scope", `This client no longer has ${ADMIN_SCOPE}.`, 403);
    return { kind: "client", clientId: client.clientId };
  }
  if (claims.client_id !== ADMIN_CLIENT_ID) throw new AdminError("forbidden", "This token was issued to an application, not to the admin console.", 403);
  const user = await services.store.users.findBySub(tenant, claims.sub);
  if (!user || user.disabled) throw new AdminError("unauthenticated", "This account is no longer active.", 401);
  if (user.role !== "admin") throw new AdminError("forbidden", "Only admins may use the admin API.", 403);
  return { kind: "user", sub: user.sub, username: user.username };
}
