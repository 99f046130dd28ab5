import { DuplicateError, type Tenant, type TenantRepo } from "../ports.ts";
import { ReadCache } from "../read-cache.ts";
import { isUniqueViolation, type Sql } from "./connect.ts";

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

export function postgresTenants(sql: Sql, marker: () => number): TenantRepo {
  const cache = new ReadCache<Tenant>(marker);
  const changed = (count: number) => {
    cache.clear();
    return count > 0;
  };
  return {
    async add(tenant) {
      try {
        await sql`INSERT INTO tenants (host, realm, created_at, sealed_smtp_url, smtp_from, email_methods, origin, display_name, disabled_methods)
          VALUES (${tenant.host}, ${tenant.realm}, ${tenant.createdAt}, ${tenant.mail.sealedSmtpUrl}, ${tenant.mail.from}, ${tenant.mail.emailMethods}, ${tenant.origin},
            ${tenant.displayName}, ${tenant.disabledMethods.join(" ")})`;
        cache.clear();
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`tenant ${tenant.host} already exists`);
        throw error;
      }
    },
    async get(host) {
      return cache.get(host, async () => {
        const [row] = await sql<Row[]>`SELECT * FROM tenants WHERE host = ${host}`;
        return row ? toTenant(row) : null;
      });
    },
    async list() {
      return (await sql<Row[]>`SELECT * FROM tenants ORDER BY host`).map(toTenant);
    },
    async setMail(host, mail) {
      return changed((await sql`UPDATE tenants SET sealed_smtp_url = ${mail.sealedSmtpUrl}, smtp_from = ${mail.from}, email_methods = ${mail.emailMethods} WHERE host = ${host}`).count);
    },
    async setOrigin(host, origin) {
      return changed((await sql`UPDATE tenants SET origin = ${origin} WHERE host = ${host}`).count);
    },
    async setDisplayName(host, displayName) {
      return changed((await sql`UPDATE tenants SET display_name = ${displayName} WHERE host = ${host}`).count);
    },
    async setDisabledMethods(host, methods) {
      return changed((await sql`UPDATE tenants SET disabled_methods = ${methods.join(" ")} WHERE host = ${host}`).count);
    },
    async setRealmWhileNoUsers(host, realm) {
      // The row lock waits for a user being added right now (its foreign key check shares the row),
      // so the check below sees every user: SQLite gets the same from its single writer.
      const count = await sql.begin(async (tx) => {
        await tx`SELECT 1 FROM tenants WHERE host = ${host} FOR UPDATE`;
        return (await tx`UPDATE tenants SET realm = ${realm} WHERE host = ${host} AND NOT EXISTS (SELECT 1 FROM users WHERE users.tenant = ${host})`).count;
      });
      return changed(count);
    },
  };
}
