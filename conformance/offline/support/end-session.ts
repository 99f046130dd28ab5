// The end_session endpoint on the wire, and where Sigil's signed-out page sends the browser.
import type { Op } from "./op.ts";

/** The post-logout redirect Sigil's signed-out page performs (data-redirect, followed by /logout.js), HTML-unescaped. */
export function logoutRedirectTarget(html: string): string | null {
  const main = /<main id="sigil-logout"([^>]*)>/.exec(html);
  if (!main) throw new Error(`no <main id="sigil-logout"> in ${html.slice(0, 300)}`);
  const attribute = /\sdata-redirect="([^"]*)"/.exec(main[1] ?? "");
  if (!attribute) return null;
  const entities: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">" };
  return (attribute[1] ?? "").replace(/&(amp|quot|#39|lt|gt);/g, (entity) => entities[entity] ?? entity);
}

/** GET the end_session endpoint with these parameters. */
export function endSession(op: Op, params: Record<string, string>): Promise<Response> {
  const path = new URL(op.metadata.end_session_endpoint!).pathname;
  const query = new URLSearchParams(params).toString();
  return op.server.fetch(query ? `${path}?${query}` : path);
}
