import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { TrustedListRecord, TrustedListRepo } from "../ports.ts";

interface Row {
  tenant: string; id: string; url: string | null; document: string | null; signer_pems: string; service_type: string; scopes_json: string; added_at: number;
  anchors_json: string | null; issued_at: number | null; next_update: number | null; refreshed_at: number | null; attempted_at: number | null; last_error: string | null;
}

const toRecord = (row: Row): TrustedListRecord => ({
  tenant: row.tenant, id: row.id, url: row.url, document: row.document, signerPems: row.signer_pems, serviceType: row.service_type, scopesJson: row.scopes_json,
  addedAt: row.added_at, anchorsJson: row.anchors_json, issuedAt: row.issued_at, nextUpdate: row.next_update, refreshedAt: row.refreshed_at,
  attemptedAt: row.attempted_at, lastError: row.last_error,
});

export function sqliteTrustedLists(db: Database): TrustedListRepo {
  const ofTenant = db.query<Row, { tenant: string }>("SELECT * FROM trusted_lists WHERE tenant = $tenant ORDER BY added_at, id");
  const every = db.query<Row, Record<string, never>>("SELECT * FROM trusted_lists ORDER BY tenant, added_at, id");
  const add = db.query(
    `INSERT INTO trusted_lists (tenant, id, url, document, signer_pems, service_type, scopes_json, added_at)
     VALUES ($tenant, $id, $url, $document, $signerPems, $serviceType, $scopesJson, $addedAt) ON CONFLICT DO NOTHING`,
  );
  const remove = db.query("DELETE FROM trusted_lists WHERE tenant = $tenant AND id = $id");
  const verified = db.query(
    `UPDATE trusted_lists SET anchors_json = $anchorsJson, issued_at = $issuedAt, next_update = $nextUpdate, refreshed_at = $at, attempted_at = $at, last_error = NULL
     WHERE tenant = $tenant AND id = $id`,
  );
  const failed = db.query("UPDATE trusted_lists SET attempted_at = $at, last_error = $error WHERE tenant = $tenant AND id = $id");
  return {
    async list(tenant) {
      return ofTenant.all({ tenant }).map(toRecord);
    },
    async all() {
      return every.all({}).map(toRecord);
    },
    async add(record) {
      return add.run({
        tenant: record.tenant, id: record.id, url: record.url, document: record.document, signerPems: record.signerPems, serviceType: record.serviceType,
        scopesJson: record.scopesJson, addedAt: record.addedAt,
      }).changes === 1;
    },
    async remove(tenant, id) {
      return remove.run({ tenant, id }).changes === 1;
    },
    async saveVerified(tenant, id, result) {
      verified.run({ tenant, id, ...result });
    },
    async saveFailure(tenant, id, error, at) {
      failed.run({ tenant, id, error, at });
    },
  };
}
