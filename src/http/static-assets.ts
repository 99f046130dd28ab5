import assets from "sigil:web-assets";

/** The embedded pages; `/` and the bare page names map to their .html files. */
export function findAsset(path: string): Response | null {
  const normalized = path === "/" ? "/login.html" : path;
  const asset = assets[normalized] ?? assets[`${normalized}.html`];
  if (!asset) return null;
  const cache = asset.type.startsWith("text/html") ? "no-cache" : "public, max-age=300";
  return new Response(asset.body, { headers: { "Content-Type": asset.type, "Cache-Control": cache } });
}
