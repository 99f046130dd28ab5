import type { Client, Store } from "../store/index.ts";
import { ACCOUNT_CLIENT_ID, ACCOUNT_PAGE } from "../tenant/index.ts";

/**
 * Finds a client of the tenant: a registered one, or the built-in account client, whose
 * redirect URI is the account page at the issuer the request used (so it works on any
 * port and behind any proxy without registration).
 */
export async function findClient(store: Store, tenant: string, issuer: string, clientId: string): Promise<Client | null> {
  if (clientId === ACCOUNT_CLIENT_ID) {
    return {
      tenant, clientId, secretHash: null, redirectUris: [`${issuer}${ACCOUNT_PAGE}`], postLogoutRedirectUris: [`${issuer}${ACCOUNT_PAGE}`],
      refreshTokenTtl: null, createdAt: 0,
    };
  }
  return clientId.length <= 256 ? store.clients.get(tenant, clientId) : null;
}
