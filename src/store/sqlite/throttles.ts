import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { ThrottleRepo, ThrottleState } from "../ports.ts";

interface Row { failures: number; last_failure_at: number }
const toState = (row: Row): ThrottleState => ({ failures: row.failures, lastFailureAt: row.last_failure_at });

export function sqliteThrottles(db: Database): ThrottleRepo {
  const get = db.query<Row, { tenant: string; key: string; now: number }>(
    "SELECT failures, last_failure_at FROM throttles WHERE tenant = $tenant AND key = $key AND expires_at > $now",
  );
  // One statement: concurrent failures each count, and a forgotten count starts again at 1.
  const record = db.query<Row, { tenant: string; key: string; now: number; expiresAt: number }>(
    `INSERT INTO throttles (tenant, key, failures, last_failure_at, expires_at) VALUES ($tenant, $key, 1, $now, $expiresAt)
     ON CONFLICT (tenant, key) DO UPDATE SET
       failures = CASE WHEN throttles.expires_at <= $now THEN 1 ELSE throttles.failures + 1 END,
       last_failure_at = $now, expires_at = $expiresAt
     RETURNING failures, last_failure_at`,
  );
  const clear = db.query("DELETE FROM throttles WHERE tenant = $tenant AND key = $key");
  return {
    async get(tenant, key, now) {
      const row = get.get({ tenant, key, now });
      return row ? toState(row) : null;
    },
    async recordFailure(tenant, key, now, forgetAfter) {
      return toState(record.get({ tenant, key, now, expiresAt: now + forgetAfter })!);
    },
    async clear(tenant, key) {
      clear.run({ tenant, key });
    },
  };
}
