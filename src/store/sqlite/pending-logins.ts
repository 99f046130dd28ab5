import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { PendingLogin, PendingLoginRepo } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";

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

export function sqlitePendingLogins(db: Database): PendingLoginRepo {
  const insert = db.query(`INSERT INTO pending_logins (tenant, id_hash, sub, return_to, expires_at, first_factor, device_key)
     VALUES ($tenant, $idHash, $sub, $returnTo, $expiresAt, $firstFactor, $deviceKey)`);
  const find = db.query<Row, { tenant: string; idHash: string; now: number }>(
    "SELECT * FROM pending_logins WHERE tenant = $tenant AND id_hash = $idHash AND expires_at > $now",
  );
  const countFailure = db.query<{ failures: number }, { tenant: string; idHash: string }>(
    "UPDATE pending_logins SET failures = failures + 1 WHERE tenant = $tenant AND id_hash = $idHash RETURNING failures",
  );
  const remove = db.query("DELETE FROM pending_logins WHERE tenant = $tenant AND id_hash = $idHash");
  const consume = db.query("DELETE FROM pending_logins WHERE tenant = $tenant AND id_hash = $idHash AND expires_at > $now");
  const setEmailCode = db.query(
    "UPDATE pending_logins SET email_code_hash = $codeHash, email_code_expires_at = $expiresAt WHERE tenant = $tenant AND id_hash = $idHash",
  );
  return {
    async create(login) {
      insert.run({
        tenant: login.tenant, idHash: login.idHash, sub: login.sub, returnTo: login.returnTo, expiresAt: login.expiresAt, firstFactor: login.firstFactor, deviceKey: login.deviceKey,
      });
    },
    async find(tenant, idHash, now) {
      const row = find.get({ tenant, idHash, now });
      return row ? toPendingLogin(row) : null;
    },
    async recordFailure(tenant, idHash, limit) {
      return writeTransaction(db, () => {
        const failures = countFailure.get({ tenant, idHash })?.failures;
        if (failures === undefined) return 0;
        if (failures >= limit) {
          remove.run({ tenant, idHash });
          return 0;
        }
        return limit - failures;
      });
    },
    async setEmailCode(tenant, idHash, codeHash, expiresAt) {
      return setEmailCode.run({ tenant, idHash, codeHash, expiresAt }).changes === 1;
    },
    async consume(tenant, idHash, now) {
      return consume.run({ tenant, idHash, now }).changes === 1;
    },
  };
}
