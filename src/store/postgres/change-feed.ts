import type { Sql } from "./connect.ts";

/**
 * What SQLite's PRAGMA data_version is to one file, for every node on one database: a number that
 * changes when another process changed a table that nodes cache (tenants, clients, signing keys).
 * Triggers (migrations/001-initial.ts) notify channel `sigil_change` on each such change; the number
 * also changes whenever the listening connection is (re)established, since notices sent while it
 * was down are lost.
 */
export class ChangeFeed {
  private version = 0;

  readonly marker = (): number => this.version;

  async listen(sql: Sql): Promise<void> {
    await sql.listen("sigil_change", () => this.version++, () => this.version++);
  }
}
