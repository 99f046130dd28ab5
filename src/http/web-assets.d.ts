/** The embedded web pages, scripts and styles, keyed by URL path (provided by scripts/web-assets.ts). */
declare module "sigil:web-assets" {
  const assets: Record<string, { type: string; body: string }>;
  export default assets;
}
