import assets from "sigil:web-assets";

/** Paths that name a page other than by its file: `/` is the sign-in page; `/admin/` (the console client's redirect URI) is the console. */
const PAGE_PATHS: Readonly<Record<string, string>> = { "/": "/login.html", "/admin/": "/admin.html", "/admin": "/admin.html" };

/** The embedded pages; the paths above and the bare page names map to their .html files. */
export function findAsset(path: string): Response | null {
  const normalized = Object.hasOwn(PAGE_PATHS, path) ? PAGE_PATHS[path]! : path;
  const asset = assets[normalized] ?? assets[`${normalized}.html`];
  if (!asset) return null;
  const cache = asset.type.startsWith("text/html") ? "no-cache" : "public, max-age=300";
  return new Response(asset.body, { headers: { "Content-Type": asset.type, "Cache-Control": cache } });
}
