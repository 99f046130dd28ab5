import { DuplicateError, type Client, type ClientRepo } from "../ports.ts";
import { ReadCache } from "../read-cache.ts";
import { isUniqueViolation, type Sql } from "./connect.ts";
import { toClient, type ClientRow } from "../rows.ts";


export function postgresClients(sql: Sql, marker: () => number): ClientRepo {
  const cache = new ReadCache<Client>(marker);
  const changed = (count: number) => {
    cache.clear();
    return count > 0;
  };
  return {
    async add(client) {
      try {
        await sql`INSERT INTO clients (tenant, client_id, secret_hash, redirect_uris_json, post_logout_redirect_uris_json, refresh_token_ttl, grant_types, scopes, created_at)
          VALUES (${client.tenant}, ${client.clientId}, ${client.secretHash}, ${JSON.stringify(client.redirectUris)}, ${JSON.stringify(client.postLogoutRedirectUris)},
            ${client.refreshTokenTtl}, ${client.grantTypes.join(" ")}, ${client.scopes.join(" ")}, ${client.createdAt})`;
        cache.clear();
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`client ${client.clientId} already exists in ${client.tenant}`);
        throw error;
      }
    },
    async get(tenant, clientId) {
      // The key joins with a character neither a host name nor a client ID may contain.
      return cache.get(`${tenant} ${clientId}`, async () => {
        const [row] = await sql<ClientRow[]>`SELECT * FROM clients WHERE tenant = ${tenant} AND client_id = ${clientId}`;
        return row ? toClient(row) : null;
      });
    },
    async list(tenant) {
      return (await sql<ClientRow[]>`SELECT * FROM clients WHERE tenant = ${tenant} ORDER BY client_id`).map(toClient);
    },
    async update(client) {
      return changed((await sql`UPDATE clients SET redirect_uris_json = ${JSON.stringify(client.redirectUris)},
          post_logout_redirect_uris_json = ${JSON.stringify(client.postLogoutRedirectUris)}, refresh_token_ttl = ${client.refreshTokenTtl},
          grant_types = ${client.grantTypes.join(" ")}, scopes = ${client.scopes.join(" ")}
        WHERE tenant = ${client.tenant} AND client_id = ${client.clientId}`).count);
    },
    async setSecretHash(tenant, clientId, secretHash) {
      return changed((await sql`UPDATE clients SET secret_hash = ${secretHash} WHERE tenant = ${tenant} AND client_id = ${clientId} AND secret_hash IS NOT NULL`).count);
    },
    async remove(tenant, clientId) {
      return changed((await sql`DELETE FROM clients WHERE tenant = ${tenant} AND client_id = ${clientId}`).count);
    },
  };
}
