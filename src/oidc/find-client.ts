import type { Client, Store } from "../store/index.ts";
import { ACCOUNT_CLIENT_ID, ACCOUNT_PAGE, ADMIN_CLIENT_ID, ADMIN_PAGE } from "../tenant/index.ts";

const BUILT_IN_PAGES: Readonly<Record<string, string>> = { [ACCOUNT_CLIENT_ID]: ACCOUNT_PAGE, [ADMIN_CLIENT_ID]: ADMIN_PAGE };

/**
 * Finds a client of the tenant: a registered one, or a built-in one (the account page, the admin
 * console), public, whose redirect URI is its page at the issuer the request used (so it works on
 * any port and behind any proxy without registration).
 */
export async function findClient(store: Store, tenant: string, issuer: string, clientId: string): Promise<Client | null> {
  const page = Object.hasOwn(BUILT_IN_PAGES, clientId) ? BUILT_IN_PAGES[clientId] : undefined;
  if (page !== undefined) {
    return {
      tenant, clientId, secretHash: null, redirectUris: [`${issuer}${page}`], postLogoutRedirectUris: [`${issuer}${page}`],
      refreshTokenTtl: null, grantTypes: ["authorization_code", "refresh_token"], scopes: [], createdAt: 0,
    };
  }
  return clientId.length <= 256 ? store.clients.get(tenant, clientId) : null;
}
