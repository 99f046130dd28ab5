import type { Database } from "bun:sqlite";
import { DuplicateError, type Tenant, type TenantRepo } from "../ports.ts";
import { isUniqueViolation } from "./open-database.ts";
import { ReadCache } from "./read-cache.ts";

interface Row { host: string; realm: string; created_at: number; sealed_smtp_url: string | null; smtp_from: string | null; email_methods: string; origin: string | null }
const toTenant = (row: Row): Tenant => ({
  host: row.host,
  realm: row.realm,
  createdAt: row.created_at,
  mail: { sealedSmtpUrl: row.sealed_smtp_url, from: row.smtp_from, emailMethods: row.email_methods === "off" ? "off" : "auto" },
  origin: row.origin,
});

export function sqliteTenants(db: Database): TenantRepo {
  const insert = db.query(
    `INSERT INTO tenants (host, realm, created_at, sealed_smtp_url, smtp_from, email_methods, origin)
     VALUES ($host, $realm, $createdAt, $sealedSmtpUrl, $from, $emailMethods, $origin)`,
  );
  const byHost = db.query<Row, { host: string }>("SELECT * FROM tenants WHERE host = $host");
  const all = db.query<Row, []>("SELECT * FROM tenants ORDER BY host");
  const setMail = db.query("UPDATE tenants SET sealed_smtp_url = $sealedSmtpUrl, smtp_from = $from, email_methods = $emailMethods WHERE host = $host");
  const setOrigin = db.query("UPDATE tenants SET origin = $origin WHERE host = $host");
  const cache = new ReadCache<Tenant>(db);
  return {
    async add(tenant) {
      try {
        insert.run({ host: tenant.host, realm: tenant.realm, createdAt: tenant.createdAt, ...tenant.mail, origin: tenant.origin });
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
    async setMail(host, mail) {
      const changed = setMail.run({ host, ...mail }).changes > 0;
      cache.clear();
      return changed;
    },
    async setOrigin(host, origin) {
      const changed = setOrigin.run({ host, origin }).changes > 0;
      cache.clear();
      return changed;
    },
  };
}
