/** The admin API's answers: JSON, never cached (they carry account data and, once, secrets). */
export const json = (body: unknown, status = 200): Response => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export const noContent = (): Response => new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });

/** A page of a list: at most `limit` items from `offset`, and where the next page starts (null: this is the last). */
export interface Page {
  limit: number;
  offset: number;
}

export function readPage(query: { get(name: string): string | undefined }): Page {
  return { limit: Number(query.get("limit") ?? 50), offset: Number(query.get("offset") ?? 0) };
}

export function pageJson<T>(items: T[], page: Page, total: number | null, more: boolean): Response {
  return json({ items, limit: page.limit, offset: page.offset, ...(total === null ? {} : { total }), next_offset: more ? page.offset + items.length : null });
}

/** One page of an in-memory list (small per-tenant sets: clients, keys, trust anchors). */
export function pageOf<T>(all: T[], page: Page): Response {
  const items = all.slice(page.offset, page.offset + page.limit);
  return pageJson(items, page, all.length, page.offset + items.length < all.length);
}

export const isoTime = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());
