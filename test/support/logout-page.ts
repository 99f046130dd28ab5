// Reading Sigil's signed-out page the way its /logout.js does.

/** The post-logout URI the page carries in <main id="sigil-logout" data-redirect="…">, HTML-unescaped; null when absent. */
export function logoutRedirectTarget(html: string): string | null {
  const main = /<main id="sigil-logout"([^>]*)>/.exec(html);
  if (!main) throw new Error(`no <main id="sigil-logout"> in ${html.slice(0, 300)}`);
  const attribute = /\sdata-redirect="([^"]*)"/.exec(main[1] ?? "");
  if (!attribute) return null;
  const entities: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">" };
  return (attribute[1] ?? "").replace(/&(amp|quot|#39|lt|gt);/g, (entity) => entities[entity] ?? entity);
}
