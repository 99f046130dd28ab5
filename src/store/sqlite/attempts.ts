import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { AttemptRepo } from "../ports.ts";

export function sqliteAttempts(db: Database): AttemptRepo {
  const record = db.query(
    `INSERT INTO attempts (scope, key, at, n, expires_at) VALUES ($scope, $key, $now, 1, $expiresAt)
     ON CONFLICT (scope, key, at) DO UPDATE SET n = n + 1`,
  );
  const recent = db.query<{ at: number; n: number }, { scope: string; key: string; since: number; limit: number }>(
    "SELECT at, n FROM attempts WHERE scope = $scope AND key = $key AND at > $since ORDER BY at DESC LIMIT $limit",
  );
  return {
    async record(scope, key, now, window) {
      record.run({ scope, key, now, expiresAt: now + window });
    },
    async recent(scope, key, now, window, limit) {
      return recent.all({ scope, key, since: now - window, limit });
    },
  };
}
