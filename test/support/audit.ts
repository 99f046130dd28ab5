// Reading a tenant's audit trail from a test. Lines are written off the request path, so a
// reader waits a moment for the line it expects.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type AuditLine = Record<string, unknown>;

/**
 * Finds audit lines of one data directory. `next` returns each matching line at most once,
 * so that two expected entries of the same shape need two lines.
 */
export class AuditReader {
  private readonly taken = new Set<string>();

  constructor(private readonly dataDir: string) {}

  lines(host = "localhost"): AuditLine[] {
    const dir = join(this.dataDir, "tenants", host, "audit");
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), "utf8").trim().split("\n")).filter(Boolean).map((line) => JSON.parse(line) as AuditLine);
  }

  /** The first line matching `wanted`, waiting up to two seconds for it. */
  async find(wanted: (line: AuditLine) => boolean, host = "localhost"): Promise<AuditLine | undefined> {
    return this.poll((line) => wanted(line), host);
  }

  /** Like find, but never the same line twice. */
  async next(wanted: (line: AuditLine) => boolean, host = "localhost"): Promise<AuditLine | undefined> {
    const found = await this.poll((line) => wanted(line) && !this.taken.has(JSON.stringify(line)), host);
    if (found) this.taken.add(JSON.stringify(found));
    return found;
  }

  private async poll(wanted: (line: AuditLine) => boolean, host: string): Promise<AuditLine | undefined> {
    for (let tries = 0; tries < 40; tries++) {
      const found = this.lines(host).find(wanted);
      if (found) return found;
      await Bun.sleep(50);
    }
    return undefined;
  }
}
