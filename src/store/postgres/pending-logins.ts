import type { PendingLogin, PendingLoginRepo } from "../ports.ts";
import type { Sql } from "./connect.ts";

interface Row {
  tenant: string; id_hash: string; sub: string; return_to: string; failures: number;
  email_code_hash: string | null; email_code_expires_at: number | null; expires_at: number;
  first_factor: string; device_key: string | null;
}

const toPendingLogin = (row: Row): PendingLogin => ({
  tenant: row.tenant, idHash: row.id_hash, sub: row.sub, returnTo: row.return_to, failures: row.failures,
  emailCodeHash: row.email_code_hash, emailCodeExpiresAt: row.email_code_expires_at, expiresAt: row.expires_at,
  firstFactor: row.first_factor === "email" ? "email" : "pwd", deviceKey: row.device_key,
});

export function postgresPendingLogins(sql: Sql): PendingLoginRepo {
  return {
    async create(login) {
      await sql`INSERT INTO pending_logins (tenant, id_hash, sub, return_to, expires_at, first_factor, device_key)
        VALUES (${login.tenant}, ${login.idHash}, ${login.sub}, ${login.returnTo}, ${login.expiresAt}, ${login.firstFactor}, ${login.deviceKey})`;
    },
    async find(tenant, idHash, now) {
      const [row] = await sql<Row[]>`SELECT * FROM pending_logins WHERE tenant = ${tenant} AND id_hash = ${idHash} AND expires_at > ${now}`;
      return row ? toPendingLogin(row) : null;
    },
    async recordFailure(tenant, idHash, limit) {
      // The row stays locked from the count to the removal, so a right code racing the last wrong one
      // cannot consume the pending login in between.
      return sql.begin(async (tx) => {
        const [row] = await tx<{ failures: number }[]>`UPDATE pending_logins SET failures = failures + 1 WHERE tenant = ${tenant} AND id_hash = ${idHash} RETURNING failures`;
        if (!row) return 0;
        if (row.failures >= limit) {
          await tx`DELETE FROM pending_logins WHERE tenant = ${tenant} AND id_hash = ${idHash}`;
          return 0;
        }
        return limit - row.failures;
      });
    },
    async setEmailCode(tenant, idHash, codeHash, expiresAt) {
      return (await sql`UPDATE pending_logins SET email_code_hash = ${codeHash}, email_code_expires_at = ${expiresAt}
        WHERE tenant = ${tenant} AND id_hash = ${idHash}`).count === 1;
    },
    async consume(tenant, idHash, now) {
      return (await sql`DELETE FROM pending_logins WHERE tenant = ${tenant} AND id_hash = ${idHash} AND expires_at > ${now}`).count === 1;
    },
  };
}
