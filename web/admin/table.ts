// A list the API pages (limit/offset, next_offset) shown as a table whose column headers sort the
// page on screen: the API orders users by username and clients by registration, and a page of at
// most 50 rows sorts instantly without another request.
import type { ListPage } from "../lib/admin-api.ts";
import { byId } from "../lib/dom.ts";

export const PAGE_SIZE = 50;

export interface ListView<T> {
  /** Loads the page at `offset` (0: the first) with the current filters. */
  load(offset?: number): Promise<void>;
}

export function listView<T extends Record<string, unknown>>(options: {
  table: HTMLTableElement;
  prefix: string;
  fetchPage: (offset: number) => Promise<ListPage<T>>;
  row: (item: T) => HTMLTableRowElement;
  empty: string;
}): ListView<T> {
  const body = options.table.tBodies[0]!;
  const previous = byId<HTMLButtonElement>(`${options.prefix}-prev`);
  const next = byId<HTMLButtonElement>(`${options.prefix}-next`);
  const range = byId(`${options.prefix}-range`);
  let items: T[] = [];
  let page: ListPage<T> | null = null;
  let sortKey: string | null = null;
  let ascending = true;

  const render = () => {
    const sorted = sortKey === null ? items : [...items].sort((a, b) => compare(a[sortKey!], b[sortKey!]) * (ascending ? 1 : -1));
    body.replaceChildren(...sorted.map(options.row));
    if (sorted.length === 0) {
      const cell = document.createElement("td");
      cell.colSpan = options.table.tHead?.rows[0]?.cells.length ?? 1;
      cell.textContent = options.empty;
      const row = document.createElement("tr");
      row.append(cell);
      body.append(row);
    }
    for (const header of options.table.querySelectorAll<HTMLTableCellElement>("th[data-sort]")) {
      if (header.dataset.sort === sortKey) header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      else header.removeAttribute("aria-sort");
    }
  };

  for (const header of options.table.querySelectorAll<HTMLTableCellElement>("th[data-sort]")) {
    header.querySelector("button")?.addEventListener("click", () => {
      ascending = sortKey === header.dataset.sort ? !ascending : true;
      sortKey = header.dataset.sort ?? null;
      render();
    });
  }

  const load = async (offset = 0) => {
    page = await options.fetchPage(offset);
    items = page.items;
    render();
    const last = page.offset + items.length;
    range.textContent = items.length === 0 ? "Nothing found" : `${page.offset + 1}–${last}${page.total !== undefined ? ` of ${page.total}` : ""}`;
    previous.disabled = page.offset === 0;
    next.disabled = page.next_offset === null;
  };
  previous.addEventListener("click", () => void load(Math.max(0, (page?.offset ?? 0) - PAGE_SIZE)));
  next.addEventListener("click", () => void load(page?.next_offset ?? 0));
  return { load };
}

function compare(a: unknown, b: unknown): number {
  const text = (value: unknown) => (Array.isArray(value) ? value.join(", ") : value === null || value === undefined ? "" : String(value));
  return text(a).localeCompare(text(b), undefined, { sensitivity: "base", numeric: true });
}

/** A table row of cells; the first may be a button that opens the item. */
export function tableRow(...cells: (Node | string)[]): HTMLTableRowElement {
  const row = document.createElement("tr");
  for (const content of cells) {
    const cell = document.createElement("td");
    cell.append(content);
    row.append(cell);
  }
  return row;
}
