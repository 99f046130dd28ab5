import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import { DuplicateError, type Client, type ClientRepo } from "../ports.ts";
import { isUniqueViolation } from "./open-database.ts";
import { ReadCache } from "./read-cache.ts";
import { toClient, type ClientRow } from "../rows.ts";


export function sqliteClients(db: Database): ClientRepo {
  const insert = db.query(
    `INSERT INTO clients (tenant, client_id, secret_hash, redirect_uris_json, post_logout_redirect_uris_json, refresh_token_ttl, grant_types, scopes, created_at)
     VALUES ($tenant, $clientId, $secretHash, $redirectUris, $postLogout, $ttl, $grantTypes, $scopes, $createdAt)`,
  );
  const byId = db.query<ClientRow, { tenant: string; clientId: string }>("SELECT * FROM clients WHERE tenant = $tenant AND client_id = $clientId");
  const all = db.query<ClientRow, { tenant: string }>("SELECT * FROM clients WHERE tenant = $tenant ORDER BY client_id");
  const remove = db.query("DELETE FROM clients WHERE tenant = $tenant AND client_id = $clientId");
  const update = db.query(
    `UPDATE clients SET redirect_uris_json = $redirectUris, post_logout_redirect_uris_json = $postLogout, refresh_token_ttl = $ttl, grant_types = $grantTypes, scopes = $scopes
     WHERE tenant = $tenant AND client_id = $clientId`,
  );
  const setSecret = db.query("UPDATE clients SET secret_hash = $secretHash WHERE tenant = $tenant AND client_id = $clientId AND secret_hash IS NOT NULL");
  const cache = new ReadCache<Client>(db);
  return {
    async add(client) {
      try {
        insert.run({
          tenant: client.tenant, clientId: client.clientId, secretHash: client.secretHash,
          redirectUris: JSON.stringify(client.redirectUris), postLogout: JSON.stringify(client.postLogoutRedirectUris),
          ttl: client.refreshTokenTtl, grantTypes: client.grantTypes.join(" "), scopes: client.scopes.join(" "), createdAt: client.createdAt,
        });
        cache.clear();
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`client ${client.clientId} already exists in ${client.tenant}`);
        throw error;
      }
    },
    async get(tenant, clientId) {
      // The key joins with a character neither a host name nor a client ID may contain.
      return cache.get(`${tenant} ${clientId}`, () => {
        const row = byId.get({ tenant, clientId });
        return row ? toClient(row) : null;
      });
    },
    async list(tenant) {
      return all.all({ tenant }).map(toClient);
    },
    async update(client) {
      const changed = update.run({
        tenant: client.tenant, clientId: client.clientId, redirectUris: JSON.stringify(client.redirectUris), postLogout: JSON.stringify(client.postLogoutRedirectUris),
        ttl: client.refreshTokenTtl, grantTypes: client.grantTypes.join(" "), scopes: client.scopes.join(" "),
      }).changes > 0;
      cache.clear();
      return changed;
    },
    async setSecretHash(tenant, clientId, secretHash) {
      const changed = setSecret.run({ tenant, clientId, secretHash }).changes > 0;
      cache.clear();
      return changed;
    },
    async remove(tenant, clientId) {
      cache.clear();
      return remove.run({ tenant, clientId }).changes > 0;
    },
  };
}
