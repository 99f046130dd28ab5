import type { AuthorizationCodeRecord, AuthorizationCodeRepo, GrantContext } from "../ports.ts";
import type { Sql } from "./connect.ts";
import { GRANT_GRACE, toCode, type CodeRow } from "../rows.ts";


export function postgresCodes(sql: Sql): AuthorizationCodeRepo {
  return {
    async save(code, now) {
      const context: GrantContext = { sub: code.sub, scope: code.scope, authTime: code.authTime, amr: code.amr, acr: code.acr, claims: code.claims };
      // One statement is one transaction: the grant (which outlives the code and anchors its tokens,
      // so that code reuse can revoke them) and the code are stored together, in one round trip.
      await sql`WITH grant_row AS (
          INSERT INTO grants (tenant, grant_id, client_id, sub, claims_json, created_at, expires_at)
          VALUES (${code.tenant}, ${code.grantId}, ${code.clientId}, ${code.sub}, ${JSON.stringify(code.claims)}, ${now}, ${code.expiresAt + GRANT_GRACE})
        )
        INSERT INTO authorization_codes (tenant, code_hash, grant_id, client_id, redirect_uri, code_challenge, nonce, context_json, expires_at)
        VALUES (${code.tenant}, ${code.codeHash}, ${code.grantId}, ${code.clientId}, ${code.redirectUri}, ${code.codeChallenge}, ${code.nonce},
          ${JSON.stringify(context)}, ${code.expiresAt})`;
    },
    async consume(tenant, codeHash) {
      // One statement marks it used. A concurrent exchange waits on the row and then finds it used;
      // the second branch, which reads the statement's snapshot, reports it as reused.
      const [row] = await sql<(CodeRow & { outcome: "ok" | "reused" })[]>`WITH spent AS (
          UPDATE authorization_codes SET used = true WHERE tenant = ${tenant} AND code_hash = ${codeHash} AND NOT used RETURNING *
        )
        SELECT *, 'ok' AS outcome FROM spent
        UNION ALL
        SELECT *, 'reused' AS outcome FROM authorization_codes
          WHERE tenant = ${tenant} AND code_hash = ${codeHash} AND NOT EXISTS (SELECT 1 FROM spent)`;
      if (!row) return { status: "missing" };
      return { status: row.outcome, record: toCode(row) };
    },
  };
}
