import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import { DuplicateError, type Tenant, type TenantRepo } from "../ports.ts";
import { isUniqueViolation } from "./open-database.ts";
import { ReadCache } from "./read-cache.ts";

interface Row { host: string; realm: string; created_at: number; sealed_smtp_url: string | null; smtp_from: string | null; email_methods: string; origin: string | null; display_name: string | null; disabled_methods: string }
const toTenant = (row: Row): Tenant => ({
  host: row.host,
  realm: row.realm,
  createdAt: row.created_at,
  mail: { sealedSmtpUrl: row.sealed_smtp_url, from: row.smtp_from, emailMethods: row.email_methods === "off" ? "off" : "auto" },
  origin: row.origin,
  displayName: row.display_name,
  disabledMethods: row.disabled_methods.split(" ").filter((method) => method.length > 0) as Tenant["disabledMethods"],
});

export function sqliteTenants(db: Database): TenantRepo {
  const insert = db.query(
    `INSERT INTO tenants (host, realm, created_at, sealed_smtp_url, smtp_from, email_methods, origin, display_name, disabled_methods)
     VALUES ($host, $realm, $createdAt, $sealedSmtpUrl, $from, $emailMethods, $origin, $displayName, $disabledMethods)`,
  );
  const byHost = db.query<Row, { host: string }>("SELECT * FROM tenants WHERE host = $host");
  const all = db.query<Row, []>("SELECT * FROM tenants ORDER BY host");
  const setMail = db.query("UPDATE tenants SET sealed_smtp_url = $sealedSmtpUrl, smtp_from = $from, email_methods = $emailMethods WHERE host = $host");
  const setOrigin = db.query("UPDATE tenants SET origin = $origin WHERE host = $host");
  const setDisplayName = db.query("UPDATE tenants SET display_name = $displayName WHERE host = $host");
  const setDisabledMethods = db.query("UPDATE tenants SET disabled_methods = $methods WHERE host = $host");
  const setRealm = db.query("UPDATE tenants SET realm = $realm WHERE host = $host AND NOT EXISTS (SELECT 1 FROM users WHERE users.tenant = $host)");
  const cache = new ReadCache<Tenant>(db);
  return {
    async add(tenant) {
      try {
        insert.run({ host: tenant.host, realm: tenant.realm, createdAt: tenant.createdAt, ...tenant.mail, origin: tenant.origin, displayName: tenant.displayName, disabledMethods: tenant.disabledMethods.join(" ") });
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
    async setDisplayName(host, displayName) {
      const changed = setDisplayName.run({ host, displayName }).changes > 0;
      cache.clear();
      return changed;
    },
    async setDisabledMethods(host, methods) {
      const changed = setDisabledMethods.run({ host, methods: methods.join(" ") }).changes > 0;
      cache.clear();
      return changed;
    },
    async setRealmWhileNoUsers(host, realm) {
      const changed = setRealm.run({ host, realm }).changes > 0;
      cache.clear();
      return changed;
    },
  };
}
