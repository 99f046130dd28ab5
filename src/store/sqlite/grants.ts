import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { GrantContext, GrantRepo, RefreshTokenRecord } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";

interface Row { tenant: string; token_hash: string; grant_id: string; client_id: string; context_json: string; expires_at: number; used: number }

const toRefresh = (row: Row): RefreshTokenRecord => ({
  tenant: row.tenant,
  tokenHash: row.token_hash,
  grantId: row.grant_id,
  clientId: row.client_id,
  expiresAt: row.expires_at,
  used: row.used === 1,
  ...(JSON.parse(row.context_json) as GrantContext),
});

/** A revoked grant is remembered at least as long as the longest access token it may have produced (the config caps that at a day). */
const REVOCATION_MEMORY = 86400;

export function sqliteGrants(db: Database): GrantRepo {
  const liveGrant = db.query<{ one: number }, { tenant: string; grantId: string }>(
    "SELECT 1 AS one FROM grants WHERE tenant = $tenant AND grant_id = $grantId AND revoked_at IS NULL",
  );
  const extendGrant = db.query("UPDATE grants SET expires_at = max(expires_at, $expiresAt) WHERE tenant = $tenant AND grant_id = $grantId");
  const insertRefresh = db.query(
    `INSERT INTO refresh_tokens (tenant, token_hash, grant_id, client_id, context_json, expires_at)
     VALUES ($tenant, $tokenHash, $grantId, $clientId, $context, $expiresAt)`,
  );
  const consumeRefresh = db.query<Row, { tenant: string; tokenHash: string }>(
    "UPDATE refresh_tokens SET used = 1 WHERE tenant = $tenant AND token_hash = $tokenHash AND used = 0 RETURNING *",
  );
  const findRefresh = db.query<Row, { tenant: string; tokenHash: string }>("SELECT * FROM refresh_tokens WHERE tenant = $tenant AND token_hash = $tokenHash");
  const revokeGrant = db.query(`UPDATE grants SET revoked_at = $now, expires_at = max(expires_at, $now + ${REVOCATION_MEMORY})
     WHERE tenant = $tenant AND grant_id = $grantId AND revoked_at IS NULL`);
  const revokeUser = db.query(`UPDATE grants SET revoked_at = $now, expires_at = max(expires_at, $now + ${REVOCATION_MEMORY})
     WHERE tenant = $tenant AND sub = $sub AND revoked_at IS NULL`);
  const grantRevoked = db.query<{ one: number }, { tenant: string; grantId: string }>(
    "SELECT 1 AS one FROM grants WHERE tenant = $tenant AND grant_id = $grantId AND revoked_at IS NOT NULL",
  );
  const claimsOf = db.query<{ claims_json: string }, { tenant: string; grantId: string }>("SELECT claims_json FROM grants WHERE tenant = $tenant AND grant_id = $grantId");
  const revokeAccess = db.query("INSERT OR IGNORE INTO revoked_access_tokens (tenant, jti, expires_at) VALUES ($tenant, $jti, $expiresAt)");
  const accessRevoked = db.query<{ one: number }, { tenant: string; jti: string; grantId: string }>(
    `SELECT 1 AS one FROM revoked_access_tokens WHERE tenant = $tenant AND jti = $jti
     UNION ALL SELECT 1 FROM grants WHERE tenant = $tenant AND grant_id = $grantId AND revoked_at IS NOT NULL LIMIT 1`,
  );
  return {
    async issueRefreshToken(token) {
      return writeTransaction(db, () => {
        if (!liveGrant.get({ tenant: token.tenant, grantId: token.grantId })) return false;
        extendGrant.run({ tenant: token.tenant, grantId: token.grantId, expiresAt: token.expiresAt });
        const context: GrantContext = { sub: token.sub, scope: token.scope, authTime: token.authTime, amr: token.amr, acr: token.acr, claims: token.claims };
        insertRefresh.run({
          tenant: token.tenant, tokenHash: token.tokenHash, grantId: token.grantId, clientId: token.clientId,
          context: JSON.stringify(context), expiresAt: token.expiresAt,
        });
        return true;
      });
    },
    async consumeRefreshToken(tenant, tokenHash) {
      const row = consumeRefresh.get({ tenant, tokenHash });
      if (row) return { status: "ok", record: toRefresh(row) };
      const spent = findRefresh.get({ tenant, tokenHash });
      return spent ? { status: "reused", record: toRefresh(spent) } : { status: "missing" };
    },
    async findRefreshToken(tenant, tokenHash) {
      const row = findRefresh.get({ tenant, tokenHash });
      return row ? toRefresh(row) : null;
    },
    async revokeGrant(tenant, grantId, now) {
      revokeGrant.run({ tenant, grantId, now });
    },
    async revokeGrantsOfUser(tenant, sub, now) {
      return revokeUser.run({ tenant, sub, now }).changes;
    },
    async isGrantRevoked(tenant, grantId) {
      return grantRevoked.get({ tenant, grantId }) !== null;
    },
    async grantClaims(tenant, grantId) {
      const row = claimsOf.get({ tenant, grantId });
      return row ? (JSON.parse(row.claims_json) as Record<string, unknown>) : {};
    },
    async revokeAccessToken(tenant, jti, expiresAt) {
      revokeAccess.run({ tenant, jti, expiresAt });
    },
    async isAccessTokenRevoked(tenant, jti, grantId) {
      return accessRevoked.get({ tenant, jti, grantId }) !== null;
    },
  };
}
