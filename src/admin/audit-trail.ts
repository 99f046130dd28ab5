import { readAuditTrail } from "../audit/index.ts";
import type { RequestContext, Services } from "../context/index.ts";
import type { Params } from "../lib/params.ts";
import { invalidInput } from "./admin-error.ts";
import { pageJson, readPage } from "./respond.ts";

/** GET /audit: the tenant's trail, newest first, filtered by time range, user, client and event type. */
export async function listAudit(services: Services, context: RequestContext, query: Params): Promise<Response> {
  const page = readPage(query);
  const from = readTime(query, "from");
  const to = readTime(query, "to");
  if (from !== undefined && to !== undefined && from >= to) throw invalidInput("to", "to must be later than from.");
  const events = query.get("event")?.split(",").map((event) => event.trim()).filter((event) => event.length > 0);
  const { entries, more } = await readAuditTrail(services.config.dataDir, context.tenant.host, {
    from, to, user: query.get("user"), client: query.get("client"), ...(events ? { events } : {}), ...page,
  });
  return pageJson(entries, page, null, more);
}

/** An RFC 3339 time (or a date, meaning its midnight UTC). */
function readTime(query: Params, name: "from" | "to"): number | undefined {
  const text = query.get(name);
  if (text === undefined) return undefined;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time)) throw invalidInput(name, `${name} is not a date or an RFC 3339 time.`);
  return time;
}
