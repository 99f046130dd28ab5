import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { AuthorizationCodeRecord, AuthorizationCodeRepo, GrantContext } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";
import { GRANT_GRACE, toCode, type CodeRow } from "../rows.ts";


export function sqliteCodes(db: Database): AuthorizationCodeRepo {
  const insertGrant = db.query(
    `INSERT INTO grants (tenant, grant_id, client_id, sub, claims_json, created_at, expires_at)
     VALUES ($tenant, $grantId, $clientId, $sub, $claims, $now, $expiresAt)`,
  );
  const insertCode = db.query(
    `INSERT INTO authorization_codes (tenant, code_hash, grant_id, client_id, redirect_uri, code_challenge, nonce, context_json, expires_at)
     VALUES ($tenant, $codeHash, $grantId, $clientId, $redirectUri, $codeChallenge, $nonce, $context, $expiresAt)`,
  );
  const consume = db.query<CodeRow, { tenant: string; codeHash: string }>(
    "UPDATE authorization_codes SET used = 1 WHERE tenant = $tenant AND code_hash = $codeHash AND used = 0 RETURNING *",
  );
  const find = db.query<CodeRow, { tenant: string; codeHash: string }>("SELECT * FROM authorization_codes WHERE tenant = $tenant AND code_hash = $codeHash");
  return {
    async save(code, now) {
      const context: GrantContext = { sub: code.sub, scope: code.scope, authTime: code.authTime, amr: code.amr, acr: code.acr, claims: code.claims };
      writeTransaction(db, () => {
        // The grant outlives the code: it anchors the tokens, so that code reuse can revoke them.
        insertGrant.run({ tenant: code.tenant, grantId: code.grantId, clientId: code.clientId, sub: code.sub, claims: JSON.stringify(code.claims), now, expiresAt: code.expiresAt + GRANT_GRACE });
        insertCode.run({
          tenant: code.tenant, codeHash: code.codeHash, grantId: code.grantId, clientId: code.clientId, redirectUri: code.redirectUri,
          codeChallenge: code.codeChallenge, nonce: code.nonce, context: JSON.stringify(context), expiresAt: code.expiresAt,
        });
      });
    },
    async consume(tenant, codeHash) {
      const row = consume.get({ tenant, codeHash });
      if (row) return { status: "ok", record: toCode(row) };
      const spent = find.get({ tenant, codeHash });
      return spent ? { status: "reused", record: toCode(spent) } : { status: "missing" };
    },
  };
}
