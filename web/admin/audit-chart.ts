// The small chart above the audit trail: sign-ins (left bar) and failures (right bar) per day for
// the last 14 days, each bar stacked by method. Inline SVG made here (no library, nothing fetched
// from elsewhere); colours come from the stylesheet's classes, so light and dark both hold, and the
// same numbers are in a table beneath for screen readers and for reading exact values.
import { adminCall, query, type ListPage } from "../lib/admin-api.ts";
import { el } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";

const DAYS = 14;
const MAX_PAGES = 25;
const EVENTS = "signin.success,signin.failure,passkey.signin_failure,second_factor.failure";
const SVG = "http://www.w3.org/2000/svg";

type Entry = Record<string, unknown> & { time: string; event: string };
type Counts = Map<string, { success: Map<string, number>; failure: Map<string, number> }>;

/** What an event counts as: its outcome and the method (the password events name theirs). */
function classify(entry: Entry): { outcome: "success" | "failure"; method: string } {
  const named = typeof entry.method === "string" ? entry.method : "other";
  if (entry.event === "signin.success") return { outcome: "success", method: named };
  if (entry.event === "passkey.signin_failure") return { outcome: "failure", method: "passkey" };
  if (entry.event === "second_factor.failure") return { outcome: "failure", method: "second factor" };
  return { outcome: "failure", method: named };
}

export async function drawAuditChart(now = new Date()): Promise<void> {
  const days = Array.from({ length: DAYS }, (_, i) => new Date(now.getTime() - (DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
  const counts: Counts = new Map(days.map((day) => [day, { success: new Map(), failure: new Map() }]));
  let offset: number | null = 0;
  for (let page = 0; offset !== null && page < MAX_PAGES; page++) {
    const answer: ListPage<Entry> = await adminCall<ListPage<Entry>>("GET", `/audit${query({ from: days[0], event: EVENTS, limit: 200, offset })}`);
    for (const entry of answer.items) {
      const day = counts.get(entry.time.slice(0, 10));
      if (!day) continue;
      const { outcome, method } = classify(entry);
      day[outcome].set(method, (day[outcome].get(method) ?? 0) + 1);
    }
    offset = answer.next_offset;
  }
  render(days, counts);
}

function render(days: string[], counts: Counts): void {
  const methods = [...new Set([...counts.values()].flatMap((day) => [...day.success.keys(), ...day.failure.keys()]))].sort();
  const total = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n, 0);
  const highest = Math.max(1, ...[...counts.values()].flatMap((day) => [total(day.success), total(day.failure)]));
  const width = 640, height = 180, base = 160, slot = width / days.length, bar = slot * 0.36;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-labelledby", "audit-chart-caption");
  const shape = (name: string, attributes: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  shape("line", { x1: 0, x2: width, y1: base, y2: base, class: "axis" });
  days.forEach((day, i) => {
    const x = i * slot + slot * 0.1;
    for (const [column, outcome] of [[0, "success"], [1, "failure"]] as const) {
      let top = base;
      for (const method of methods) {
        const n = counts.get(day)![outcome].get(method) ?? 0;
        if (n === 0) continue;
        const h = (n / highest) * (base - 10);
        top -= h;
        shape("rect", { x: x + column * bar, y: top, width: bar - 1, height: h, class: `m${methods.indexOf(method) % 6} ${outcome}` }, undefined)
          .append(Object.assign(document.createElementNS(SVG, "title"), { textContent: `${day} ${method}: ${n} ${outcome === "success" ? "sign-ins" : "failures"}` }));
      }
    }
    if (i % 2 === 0) shape("text", { x: x + bar, y: height - 4, "text-anchor": "middle", class: "tick" }, day.slice(5));
  });
  const legend = el("ul", { class: "legend" }, ...methods.map((method, i) => el("li", { class: `m${i % 6}` }, method)), el("li", { class: "failure-key" }, "right bar of each day: failures"));
  const rows = days.map((day) => el("tr", {}, el("th", { scope: "row" }, day), ...methods.flatMap((method) => [
    el("td", {}, String(counts.get(day)!.success.get(method) ?? 0)), el("td", {}, String(counts.get(day)!.failure.get(method) ?? 0)),
  ])));
  const table = el("table", { class: "data" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Day"), ...methods.flatMap((method) => [el("th", { scope: "col" }, `${method} sign-ins`), el("th", { scope: "col" }, `${method} failures`)]))),
    el("tbody", {}, ...rows));
  byId("audit-chart").replaceChildren(svg, legend, el("details", {}, el("summary", {}, "The numbers"), el("div", { class: "table-wrap" }, table)));
}
