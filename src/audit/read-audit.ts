import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** What an admin asks of the trail; every filter narrows. Times are milliseconds since the epoch, `to` exclusive. */
export interface AuditQuery {
  from?: number;
  to?: number;
  /** A user's sub or username: the one acted on, or the admin who acted. */
  user?: string;
  /** A client_id: the client involved, or the machine client that acted. */
  client?: string;
  /** Event types (e.g. signin.failure, admin.change); any of them. */
  events?: readonly string[];
  limit: number;
  offset: number;
}

export type AuditEntry = Record<string, unknown> & { time: string; event: string };

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/**
 * Reads a tenant's trail (DATA/tenants/<host>/audit/YYYY-MM-DD.jsonl, written by AuditLog) newest
 * first: only the day files the time range touches, each from its last line back, stopping once
 * the page is full. `more` says whether a further match exists. A line that is not JSON (a write
 * cut short by a crash) is skipped, not fatal.
 */
export async function readAuditTrail(dataDir: string, tenant: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const dir = join(dataDir, "tenants", tenant, "audit");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], more: false };
    throw error;
  }
  const fromDay = query.from === undefined ? null : new Date(query.from).toISOString().slice(0, 10);
  const toDay = query.to === undefined ? null : new Date(query.to).toISOString().slice(0, 10);
  const days = names.map((name) => DAY_FILE.exec(name)?.[1]).filter((day): day is string => day !== undefined)
    .filter((day) => (fromDay === null || day >= fromDay) && (toDay === null || day <= toDay)).sort().reverse();
  const entries: AuditEntry[] = [];
  let skipped = 0;
  for (const day of days) {
    const lines = (await readFile(join(dir, `${day}.jsonl`), "utf8")).split("\n").reverse();
    for (const line of lines) {
      const entry = parse(line);
      if (!entry || !matches(entry, query)) continue;
      if (skipped < query.offset) {
        skipped++;
        continue;
      }
      if (entries.length === query.limit) return { entries, more: true };
      entries.push(entry);
    }
  }
  return { entries, more: false };
}

function parse(line: string): AuditEntry | null {
  if (line.length === 0) return null;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== "object" || value === null || typeof (value as AuditEntry).time !== "string" || typeof (value as AuditEntry).event !== "string") return null;
    return value as AuditEntry;
  } catch {
    return null;
  }
}

function matches(entry: AuditEntry, query: AuditQuery): boolean {
  const time = Date.parse(entry.time);
  if (query.from !== undefined && !(time >= query.from)) return false;
  if (query.to !== undefined && !(time < query.to)) return false;
  if (query.events && !query.events.includes(entry.event)) return false;
  if (query.user !== undefined && ![entry.sub, entry.username, entry.admin_sub].includes(query.user)) return false;
  if (query.client !== undefined && ![entry.client_id, entry.admin_client_id].includes(query.client)) return false;
  return true;
}
