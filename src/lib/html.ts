/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The frame every server-rendered page shares: no inline script or style (the CSP forbids both). */
export function htmlPage(title: string, body: string, scripts: string[] = []): string {
  const scriptTags = scripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/styles.css">${scriptTags}</head>` +
    `<body><div class="page">${body}</div></body></html>`;
}
