import { POSTGRES_MIGRATIONS } from "./migrations/index.ts";
import type { Sql } from "./connect.ts";

/** Any constant will do: it names the one lock every Sigil process takes to migrate this database. */
const MIGRATION_LOCK = 0x5161_1001;

/**
 * Applies the pending migrations, each in its own transaction with the version it reaches, as the
 * SQLite store does with user_version: a crash mid-migration leaves the previous schema intact.
 * An advisory lock makes nodes that start together take turns, so each migration runs once.
 */
export async function migrate(sql: Sql): Promise<void> {
  for (;;) {
    const done = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`;
      await tx`CREATE TABLE IF NOT EXISTS sigil_schema (version INTEGER NOT NULL)`;
      const [row] = await tx<{ version: number }[]>`SELECT version FROM sigil_schema`;
      if (!row) await tx`INSERT INTO sigil_schema (version) VALUES (0)`;
      const version = row?.version ?? 0;
      if (version > POSTGRES_MIGRATIONS.length) {
        throw new Error(`the database was written by a newer Sigil (schema ${version}, this one knows ${POSTGRES_MIGRATIONS.length})`);
      }
      if (version === POSTGRES_MIGRATIONS.length) return true;
      await tx.unsafe(POSTGRES_MIGRATIONS[version]!).simple();
      await tx`UPDATE sigil_schema SET version = ${version + 1}`;
      return false;
    });
    if (done) return;
  }
}
