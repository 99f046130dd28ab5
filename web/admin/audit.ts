// The audit trail as a filterable, paged table (newest first, as the API answers), under its chart.
import { adminCall, query, type ListPage } from "../lib/admin-api.ts";
import { onSubmit, problem, text, when } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { drawAuditChart } from "./audit-chart.ts";
import { listView, PAGE_SIZE, tableRow } from "./table.ts";

type Entry = Record<string, unknown> & { time: string; event: string };
/** Shown in their own columns, or too noisy for the details one. */
const SHOWN = new Set(["time", "event", "tenant", "sub", "username", "client_id"]);

const details = (entry: Entry) => Object.entries(entry).filter(([name]) => !SHOWN.has(name)).map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`).join("; ");
const who = (entry: Entry) => [entry.username, entry.sub].filter((value) => typeof value === "string").join(" ") || "—";

export function setupAudit(): { load(): Promise<void> } {
  const filter = byId<HTMLFormElement>("audit-filter");
  let filters: Record<string, string> = {};
  const trail = listView<Entry>({
    table: byId<HTMLTableElement>("audit-table"),
    prefix: "audit",
    empty: "No events match.",
    fetchPage: (offset) => adminCall<ListPage<Entry>>("GET", `/audit${query({ ...filters, limit: PAGE_SIZE, offset })}`),
    row: (entry) => tableRow(when(entry.time), entry.event, who(entry), typeof entry.client_id === "string" ? entry.client_id : "—", details(entry) || "—"),
  });
  onSubmit(filter, async (data) => {
    const from = text(data, "from");
    const to = text(data, "to");
    if (from && to && from >= to) throw problem("Until must be later than From.", "to");
    filters = { from, to, user: text(data, "user"), client: text(data, "client"), event: text(data, "event") };
    await trail.load();
  });
  return {
    load: async () => {
      await Promise.all([trail.load(), drawAuditChart()]);
    },
  };
}
