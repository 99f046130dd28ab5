import type { Client, Store } from "../store/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { requireTenant, TenantInputError } from "./manage-tenants.ts";
import { checkClientScopes, checkClientUris, checkGrantTypes } from "./manage-clients.ts";

/** What an operator may change of a registered client; absent fields stay. Whether it is confidential is fixed at registration. */
export interface ClientChange {
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  refreshTokenTtl?: number | null;
  grantTypes?: string[];
  scopes?: string[];
}

/** Refresh token lifetimes an operator may set: a minute to a year. */
export function checkRefreshTtl(ttl: number | null): number | null {
  if (ttl !== null && (!Number.isInteger(ttl) || ttl < 60 || ttl > 365 * 86400)) throw new TenantInputError("the refresh token lifetime is a whole number of seconds from 60 to a year", "invalid", "refresh_token_ttl");
  return ttl;
}

export async function requireClient(store: Store, host: string, clientId: string): Promise<Client> {
  const tenant = await requireTenant(store, host);
  const client = await store.clients.get(tenant.host, clientId);
  if (!client) throw new TenantInputError(`no client ${clientId} in ${tenant.host}`, "not_found", "client_id");
  return client;
}

/** Applies a change with the same checks as registration, judged on the client as it would be afterwards. */
export async function updateClient(store: Store, host: string, clientId: string, change: ClientChange): Promise<{ client: Client; warnings: string[] }> {
  const current = await requireClient(store, host, clientId);
  const grantTypes = checkGrantTypes(change.grantTypes ?? current.grantTypes, current.secretHash !== null);
  const scopes = checkClientScopes(change.scopes ?? (change.grantTypes && !grantTypes.includes("client_credentials") ? [] : current.scopes), grantTypes);
  const redirectUris = [...new Set(change.redirectUris ?? current.redirectUris)];
  const postLogoutRedirectUris = [...new Set(change.postLogoutRedirectUris ?? current.postLogoutRedirectUris)];
  const warnings = checkClientUris(grantTypes, redirectUris, postLogoutRedirectUris);
  const refreshTokenTtl = change.refreshTokenTtl === undefined ? current.refreshTokenTtl : checkRefreshTtl(change.refreshTokenTtl);
  const client: Client = { ...current, grantTypes, scopes, redirectUris, postLogoutRedirectUris, refreshTokenTtl };
  if (!(await store.clients.update(client))) throw new TenantInputError(`no client ${clientId} in ${current.tenant}`, "not_found", "client_id");
  return { client, warnings };
}

/** A new secret (256 bits) for a confidential client, returned once; the old one stops working at once. */
export async function rotateClientSecret(store: Store, host: string, clientId: string): Promise<string> {
  const client = await requireClient(store, host, clientId);
  if (client.secretHash === null) throw new TenantInputError(`${clientId} is a public client: it has no secret`, "conflict", "client_id");
  const secret = randomId(32);
  if (!(await store.clients.setSecretHash(client.tenant, clientId, hashSecret(secret)))) throw new TenantInputError(`no client ${clientId} in ${client.tenant}`, "not_found", "client_id");
  return secret;
}

/** Removes a client (its own client_credentials tokens die with it: they are checked against a client that exists). */
export async function removeClient(store: Store, host: string, clientId: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  if (!(await store.clients.remove(tenant.host, clientId))) throw new TenantInputError(`no client ${clientId} in ${tenant.host}`, "not_found", "client_id");
}
