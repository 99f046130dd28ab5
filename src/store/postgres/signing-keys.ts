import type { KeyStatus, SigningKeyRecord, SigningKeyRepo } from "../ports.ts";
import type { Sql } from "./connect.ts";

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

/** Names the per-tenant lock of key rotation among this database's advisory locks. */
const ROTATION_LOCK = 0x5161_2002;

export function postgresSigningKeys(sql: Sql, marker: () => number): SigningKeyRepo {
  return {
    async listPublished(tenant) {
      const rows = await sql<Row[]>`SELECT * FROM signing_keys WHERE tenant = ${tenant} AND status IN ('active', 'previous')
        ORDER BY status = 'active' DESC, created_at DESC, seq DESC`;
      return rows.map(toKey);
    },
    async listAll(tenant) {
      return (await sql<Row[]>`SELECT * FROM signing_keys WHERE tenant = ${tenant} ORDER BY created_at DESC, seq DESC`).map(toKey);
    },
    async installActive(key) {
      // Two nodes that make a tenant's first key at once (or two rotations) take turns: the second
      // demotes the first, where without the lock both would insert an active key and one would fail.
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${ROTATION_LOCK}::integer, hashtext(${key.tenant}))`;
        await tx`UPDATE signing_keys SET status = 'retired' WHERE tenant = ${key.tenant} AND status = 'previous'`;
        await tx`UPDATE signing_keys SET status = 'previous' WHERE tenant = ${key.tenant} AND status = 'active'`;
        await tx`INSERT INTO signing_keys (tenant, kid, alg, status, public_jwk, sealed_private_key, created_at)
          VALUES (${key.tenant}, ${key.kid}, ${key.alg}, 'active', ${JSON.stringify(key.publicJwk)}, ${key.sealedPrivateKey}, ${key.createdAt})`;
      });
    },
    externalChangeMarker: marker,
  };
}
