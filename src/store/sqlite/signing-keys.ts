import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { KeyStatus, SigningKeyRecord, SigningKeyRepo } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";

interface Row { tenant: string; kid: string; alg: string; status: string; public_jwk: string; sealed_private_key: string; created_at: number }

const toKey = (row: Row): SigningKeyRecord => ({
  tenant: row.tenant,
  kid: row.kid,
  alg: row.alg as "RS256",
  status: row.status as KeyStatus,
  publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
  sealedPrivateKey: row.sealed_private_key,
  createdAt: row.created_at,
});

export function sqliteSigningKeys(db: Database): SigningKeyRepo {
  const published = db.query<Row, { tenant: string }>(
    "SELECT * FROM signing_keys WHERE tenant = $tenant AND status IN ('active', 'previous') ORDER BY status = 'active' DESC, created_at DESC",
  );
  const all = db.query<Row, { tenant: string }>("SELECT * FROM signing_keys WHERE tenant = $tenant ORDER BY created_at DESC, rowid DESC");
  const retirePrevious = db.query("UPDATE signing_keys SET status = 'retired' WHERE tenant = $tenant AND status = 'previous'");
  const demoteActive = db.query("UPDATE signing_keys SET status = 'previous' WHERE tenant = $tenant AND status = 'active'");
  const insert = db.query(
    `INSERT INTO signing_keys (tenant, kid, alg, status, public_jwk, sealed_private_key, created_at)
     VALUES ($tenant, $kid, $alg, 'active', $publicJwk, $sealed, $createdAt)`,
  );
  const dataVersion = db.query<{ data_version: number }, []>("PRAGMA data_version");
  return {
    async listPublished(tenant) {
      return published.all({ tenant }).map(toKey);
    },
    async listAll(tenant) {
      return all.all({ tenant }).map(toKey);
    },
    async installActive(key) {
      writeTransaction(db, () => {
        retirePrevious.run({ tenant: key.tenant });
        demoteActive.run({ tenant: key.tenant });
        insert.run({
          tenant: key.tenant, kid: key.kid, alg: key.alg, publicJwk: JSON.stringify(key.publicJwk),
          sealed: key.sealedPrivateKey, createdAt: key.createdAt,
        });
      });
    },
    externalChangeMarker() {
      return dataVersion.get()?.data_version ?? 0;
    },
  };
}
