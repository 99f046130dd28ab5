import type { TrustedListRecord, TrustedListRepo } from "../ports.ts";
import type { Sql } from "./connect.ts";

interface Row {
  tenant: string; id: string; url: string | null; document: string | null; signer_pems: string; service_type: string; scopes_json: string; added_at: number;
  anchors_json: string | null; issued_at: number | null; next_update: number | null; refreshed_at: number | null; attempted_at: number | null; last_error: string | null;
}

const num = (value: number | string | null): number | null => (value === null ? null : Number(value));
const toRecord = (row: Row): TrustedListRecord => ({
  tenant: row.tenant, id: row.id, url: row.url, document: row.document, signerPems: row.signer_pems, serviceType: row.service_type, scopesJson: row.scopes_json,
  addedAt: Number(row.added_at), anchorsJson: row.anchors_json, issuedAt: num(row.issued_at), nextUpdate: num(row.next_update), refreshedAt: num(row.refreshed_at),
  attemptedAt: num(row.attempted_at), lastError: row.last_error,
});

/** PostgreSQL's form of ../sqlite/trusted-lists.ts. */
export function postgresTrustedLists(sql: Sql): TrustedListRepo {
  return {
    async list(tenant) {
      return (await sql<Row[]>`SELECT * FROM trusted_lists WHERE tenant = ${tenant} ORDER BY added_at, id`).map(toRecord);
    },
    async all() {
      return (await sql<Row[]>`SELECT * FROM trusted_lists ORDER BY tenant, added_at, id`).map(toRecord);
    },
    async add(r) {
      return (await sql`INSERT INTO trusted_lists (tenant, id, url, document, signer_pems, service_type, scopes_json, added_at)
        VALUES (${r.tenant}, ${r.id}, ${r.url}, ${r.document}, ${r.signerPems}, ${r.serviceType}, ${r.scopesJson}, ${r.addedAt}) ON CONFLICT DO NOTHING`).count === 1;
    },
    async remove(tenant, id) {
      return (await sql`DELETE FROM trusted_lists WHERE tenant = ${tenant} AND id = ${id}`).count === 1;
    },
    async saveVerified(tenant, id, v) {
      await sql`UPDATE trusted_lists SET anchors_json = ${v.anchorsJson}, issued_at = ${v.issuedAt}, next_update = ${v.nextUpdate}, refreshed_at = ${v.at},
        attempted_at = ${v.at}, last_error = NULL WHERE tenant = ${tenant} AND id = ${id}`;
    },
    async saveFailure(tenant, id, error, at) {
      await sql`UPDATE trusted_lists SET attempted_at = ${at}, last_error = ${error} WHERE tenant = ${tenant} AND id = ${id}`;
    },
  };
}
