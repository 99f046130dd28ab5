import type { AttemptRepo, ThrottleRepo, ThrottleState } from "../ports.ts";
import type { Sql } from "./connect.ts";

interface Row { failures: number; last_failure_at: number }
const toState = (row: Row): ThrottleState => ({ failures: row.failures, lastFailureAt: row.last_failure_at });

export function postgresThrottles(sql: Sql): ThrottleRepo {
  return {
    async get(tenant, key, now) {
      const [row] = await sql<Row[]>`SELECT failures, last_failure_at FROM throttles WHERE tenant = ${tenant} AND key = ${key} AND expires_at > ${now}`;
      return row ? toState(row) : null;
    },
    async recordFailure(tenant, key, now, forgetAfter) {
      // One statement: concurrent failures each count (ON CONFLICT locks the row), and a forgotten count starts again at 1.
      const [row] = await sql<Row[]>`INSERT INTO throttles (tenant, key, failures, last_failure_at, expires_at) VALUES (${tenant}, ${key}, 1, ${now}, ${now + forgetAfter})
        ON CONFLICT (tenant, key) DO UPDATE SET
          failures = CASE WHEN throttles.expires_at <= EXCLUDED.last_failure_at THEN 1 ELSE throttles.failures + 1 END,
          last_failure_at = EXCLUDED.last_failure_at, expires_at = EXCLUDED.expires_at
        RETURNING failures, last_failure_at`;
      return toState(row!);
    },
    async clear(tenant, key) {
      await sql`DELETE FROM throttles WHERE tenant = ${tenant} AND key = ${key}`;
    },
  };
}

export function postgresAttempts(sql: Sql): AttemptRepo {
  return {
    async record(scope, key, now, window) {
      await sql`INSERT INTO attempts (scope, key, at, n, expires_at) VALUES (${scope}, ${key}, ${now}, 1, ${now + window})
        ON CONFLICT (scope, key, at) DO UPDATE SET n = attempts.n + 1`;
    },
    async recent(scope, key, now, window, limit) {
      return sql<{ at: number; n: number }[]>`SELECT at, n FROM attempts WHERE scope = ${scope} AND key = ${key} AND at > ${now - window}
        ORDER BY at DESC LIMIT ${limit}`;
    },
  };
}
