import type { Database } from "bun:sqlite";
import { DuplicateError, type Tenant, type TenantRepo } from "../ports.ts";
import { isUniqueViolation } from "./open-database.ts";
import { ReadCache } from "./read-cache.ts";

interface Row { host: string; realm: string; created_at: number }
const toTenant = (row: Row): Tenant => ({ host: row.host, realm: row.realm, createdAt: row.created_at });

export function sqliteTenants(db: Database): TenantRepo {
  const insert = db.query("INSERT INTO tenants (host, realm, created_at) VALUES ($host, $realm, $createdAt)");
  const byHost = db.query<Row, { host: string }>("SELECT * FROM tenants WHERE host = $host");
  const all = db.query<Row, []>("SELECT * FROM tenants ORDER BY host");
  const cache = new ReadCache<Tenant>(db);
  return {
    async add(tenant) {
      try {
        insert.run({ host: tenant.host, realm: tenant.realm, createdAt: tenant.createdAt });
        cache.clear();
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`tenant ${tenant.host} already exists`);
        throw error;
      }
    },
    async get(host) {
      return cache.get(host, () => {
        const row = byHost.get({ host });
        return row ? toTenant(row) : null;
      });
    },
    async list() {
      return all.all().map(toTenant);
    },
  };
}
