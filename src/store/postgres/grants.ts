import type { GrantContext, GrantRepo, RefreshTokenRecord } from "../ports.ts";
import type { Sql } from "./connect.ts";

interface Row { tenant: string; token_hash: string; grant_id: string; client_id: string; context_json: string; expires_at: number; used: boolean }
type OutcomeRow = Row & { outcome: "ok" | "reused" };

const toRefresh = (row: Row): RefreshTokenRecord => ({
  tenant: row.tenant,
  tokenHash: row.token_hash,
  grantId: row.grant_id,
  clientId: row.client_id,
  expiresAt: row.expires_at,
  used: row.used,
  ...(JSON.parse(row.context_json) as GrantContext),
});

/** A revoked grant is remembered at least as long as the longest access token it may have produced (the config caps that at a day). */
const REVOCATION_MEMORY = 86400;

export function postgresGrants(sql: Sql): GrantRepo {
  return {
    async issueRefreshToken(token) {
      const context: GrantContext = { sub: token.sub, scope: token.scope, authTime: token.authTime, amr: token.amr, acr: token.acr, claims: token.claims };
      // One statement: the token is stored only if the grant is live at that moment, and the grant is
      // kept as long as the token. A revocation racing it locks the same grant row, so one waits for the other.
      const result = await sql`WITH live AS (
          UPDATE grants SET expires_at = greatest(expires_at, ${token.expiresAt}::bigint)
          WHERE tenant = ${token.tenant} AND grant_id = ${token.grantId} AND revoked_at IS NULL RETURNING grant_id
        )
        INSERT INTO refresh_tokens (tenant, token_hash, grant_id, client_id, context_json, expires_at)
        SELECT ${token.tenant}, ${token.tokenHash}, grant_id, ${token.clientId}, ${JSON.stringify(context)}, ${token.expiresAt} FROM live`;
      return result.count === 1;
    },
    async consumeRefreshToken(tenant, tokenHash) {
      // As codes.ts consume: marked spent in one statement; a second presentation reads as reused.
      const [row] = await sql<OutcomeRow[]>`WITH spent AS (
          UPDATE refresh_tokens SET used = true WHERE tenant = ${tenant} AND token_hash = ${tokenHash} AND NOT used RETURNING *
        )
        SELECT *, 'ok' AS outcome FROM spent
        UNION ALL
        SELECT *, 'reused' AS outcome FROM refresh_tokens
          WHERE tenant = ${tenant} AND token_hash = ${tokenHash} AND NOT EXISTS (SELECT 1 FROM spent)`;
      if (!row) return { status: "missing" };
      return { status: row.outcome, record: toRefresh(row) };
    },
    async findRefreshToken(tenant, tokenHash) {
      const [row] = await sql<Row[]>`SELECT * FROM refresh_tokens WHERE tenant = ${tenant} AND token_hash = ${tokenHash}`;
      return row ? toRefresh(row) : null;
    },
    async revokeGrant(tenant, grantId, now) {
      await sql`UPDATE grants SET revoked_at = ${now}, expires_at = greatest(expires_at, ${now + REVOCATION_MEMORY}::bigint)
        WHERE tenant = ${tenant} AND grant_id = ${grantId} AND revoked_at IS NULL`;
    },
    async revokeGrantsOfUser(tenant, sub, now) {
      return (await sql`UPDATE grants SET revoked_at = ${now}, expires_at = greatest(expires_at, ${now + REVOCATION_MEMORY}::bigint)
        WHERE tenant = ${tenant} AND sub = ${sub} AND revoked_at IS NULL`).count;
    },
    async isGrantRevoked(tenant, grantId) {
      return (await sql`SELECT 1 FROM grants WHERE tenant = ${tenant} AND grant_id = ${grantId} AND revoked_at IS NOT NULL`).length > 0;
    },
    async grantClaims(tenant, grantId) {
      const [row] = await sql<{ claims_json: string }[]>`SELECT claims_json FROM grants WHERE tenant = ${tenant} AND grant_id = ${grantId}`;
      return row ? (JSON.parse(row.claims_json) as Record<string, unknown>) : {};
    },
    async revokeAccessToken(tenant, jti, expiresAt) {
      await sql`INSERT INTO revoked_access_tokens (tenant, jti, expires_at) VALUES (${tenant}, ${jti}, ${expiresAt}) ON CONFLICT DO NOTHING`;
    },
    async isAccessTokenRevoked(tenant, jti, grantId) {
      const [row] = await sql<{ revoked: boolean }[]>`SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE tenant = ${tenant} AND jti = ${jti})
        OR EXISTS (SELECT 1 FROM grants WHERE tenant = ${tenant} AND grant_id = ${grantId} AND revoked_at IS NOT NULL) AS revoked`;
      return row?.revoked === true;
    },
  };
}
