// The admin API's clients: list, read, register, edit, rotate the secret (shown once), remove,
// and the client's own DCQL query for wallet sign-in. The rules live in tenant/ and verifier/,
// shared with `sigil client` and `sigil verifier set --client`.
import type { RequestContext, Services } from "../context/index.ts";
import type { Params } from "../lib/params.ts";
import type { Client } from "../store/index.ts";
import { addClient, removeClient, requireClient, rotateClientSecret, updateClient } from "../tenant/index.ts";
import { loadVerifierManagement } from "../verifier/load-management.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { recordAdminChange } from "./record-change.ts";
import { isoTime, json, noContent, pageOf, readPage } from "./respond.ts";

export const clientJson = (client: Client) => ({
  client_id: client.clientId, type: client.secretHash === null ? "public" : "confidential", redirect_uris: client.redirectUris,
  post_logout_redirect_uris: client.postLogoutRedirectUris, grant_types: client.grantTypes, scopes: client.scopes,
  refresh_token_ttl: client.refreshTokenTtl, created_at: isoTime(client.createdAt),
});

export async function listClients(services: Services, context: RequestContext, query: Params): Promise<Response> {
  const part = query.get("client_id")?.toLowerCase();
  const type = query.get("type");
  const grantType = query.get("grant_type");
  const clients = (await services.store.clients.list(context.tenant.host)).filter((client) =>
    (part === undefined || client.clientId.toLowerCase().includes(part)) &&
    (type === undefined || (type === "public") === (client.secretHash === null)) &&
    (grantType === undefined || (client.grantTypes as string[]).includes(grantType)));
  return pageOf(clients.map(clientJson), readPage(query));
}

export async function getClient(services: Services, context: RequestContext, clientId: string): Promise<Response> {
  return json(clientJson(await requireClient(services.store, context.tenant.host, clientId)));
}

export interface ClientBody {
  client_id: string;
  type?: "public" | "confidential";
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  grant_types?: string[];
  scopes?: string[];
  refresh_token_ttl?: number | null;
}

/** Registers a client; a confidential one's secret is in this answer and never again. */
export async function createClient(services: Services, context: RequestContext, admin: AdminPrincipal, body: ClientBody): Promise<Response> {
  const { client, secret, warnings } = await addClient(services.store, context.tenant.host, {
    clientId: body.client_id, confidential: body.type === "confidential", redirectUris: body.redirect_uris ?? [], postLogoutRedirectUris: body.post_logout_redirect_uris ?? [],
    refreshTokenTtl: body.refresh_token_ttl ?? null, ...(body.grant_types ? { grantTypes: body.grant_types } : {}), scopes: body.scopes ?? [],
  });
  await recordAdminChange(services, context, admin, "client.add", {
    client_id: client.clientId, confidential: secret !== null, redirect_uris: client.redirectUris, grant_types: client.grantTypes, scopes: client.scopes,
  });
  return json({ ...clientJson(client), ...(secret ? { client_secret: secret } : {}), warnings }, 201);
}

export async function patchClient(services: Services, context: RequestContext, admin: AdminPrincipal, clientId: string, body: Omit<ClientBody, "client_id" | "type">): Promise<Response> {
  const { client, warnings } = await updateClient(services.store, context.tenant.host, clientId, {
    ...(body.redirect_uris ? { redirectUris: body.redirect_uris } : {}), ...(body.post_logout_redirect_uris ? { postLogoutRedirectUris: body.post_logout_redirect_uris } : {}),
    ...(body.grant_types ? { grantTypes: body.grant_types } : {}), ...(body.scopes ? { scopes: body.scopes } : {}),
    ...(body.refresh_token_ttl !== undefined ? { refreshTokenTtl: body.refresh_token_ttl } : {}),
  });
  await recordAdminChange(services, context, admin, "client.update", {
    client_id: clientId, changed: Object.keys(body).sort(), redirect_uris: client.redirectUris, grant_types: client.grantTypes, scopes: client.scopes,
  });
  return json({ ...clientJson(client), warnings });
}

export async function rotateSecret(services: Services, context: RequestContext, admin: AdminPrincipal, clientId: string): Promise<Response> {
  const secret = await rotateClientSecret(services.store, context.tenant.host, clientId);
  await recordAdminChange(services, context, admin, "client.rotate-secret", { client_id: clientId });
  return json({ client_id: clientId, client_secret: secret });
}

export async function deleteClient(services: Services, context: RequestContext, admin: AdminPrincipal, clientId: string): Promise<Response> {
  await removeClient(services.store, context.tenant.host, clientId);
  await recordAdminChange(services, context, admin, "client.remove", { client_id: clientId });
  return noContent();
}

export async function getClientDcql(services: Services, context: RequestContext, clientId: string): Promise<Response> {
  const client = await requireClient(services.store, context.tenant.host, clientId);
  const query = await services.store.verifiers.clientDcqlQuery(client.tenant, client.clientId);
  return json({ client_id: client.clientId, dcql_query: query === null ? null : JSON.parse(query) });
}

export async function putClientDcql(services: Services, context: RequestContext, admin: AdminPrincipal, clientId: string, body: { dcql_query: unknown }): Promise<Response> {
  const dcqlJson = await (await loadVerifierManagement()).setClientDcqlQuery(services.store, context.tenant.host, clientId, body.dcql_query);
  await recordAdminChange(services, context, admin, "verifier.set-client-dcql", { client_id: clientId, custom_dcql: dcqlJson !== null });
  return json({ client_id: clientId, dcql_query: dcqlJson === null ? null : JSON.parse(dcqlJson) });
}
