// /admin/api/docs: the admin API's reference as one HTML page, rendered on the server from the
// generated OpenAPI document (so it is in the binary, needs no script and no CDN, and passes the
// strict CSP), with its stylesheet at /admin/api/docs.css.
import { escapeHtml } from "../lib/html.ts";
import { adminApiDocument } from "./openapi.ts";

type Operation = { tags: string[]; summary: string; parameters?: { name: string; in: string; required: boolean; schema: unknown }[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { description: string }> };

export function adminDocsPage(): string {
  const document = adminApiDocument();
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = operation.tags[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, operation)]);
    }
  }
  const info = document.info as { title: string; description: string };
  const sections = [...byTag].map(([tag, operations]) => `<section><h2 id="${slug(tag)}">${escapeHtml(tag)}</h2>${operations.join("")}</section>`).join("");
  const toc = [...byTag.keys()].map((tag) => `<li><a href="#${slug(tag)}">${escapeHtml(tag)}</a></li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(info.title)}</title><link rel="stylesheet" href="/admin/api/docs.css"></head><body><main>` +
    `<h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)}</p>` +
    `<p>Errors are <code>{"error": code, "message": sentence, "field": input}</code>. Lists take <code>limit</code> and <code>offset</code> and answer <code>items</code> and <code>next_offset</code>. ` +
    `The machine-readable document: <a href="/admin/api/v1/openapi.json">openapi.json</a>.</p><nav><ul>${toc}</ul></nav>${sections}</main></body></html>`;
}

function renderOperation(method: string, path: string, operation: Operation): string {
  const parameters = operation.parameters ?? [];
  const table = parameters.length === 0 ? "" :
    `<table><thead><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Schema</th></tr></thead><tbody>${parameters.map((parameter) =>
      `<tr><td><code>${escapeHtml(parameter.name)}</code>${parameter.required ? " (required)" : ""}</td><td>${escapeHtml(parameter.in)}</td><td><code>${escapeHtml(JSON.stringify(parameter.schema))}</code></td></tr>`).join("")}</tbody></table>`;
  const body = operation.requestBody?.content["application/json"]?.schema;
  const responses = Object.entries(operation.responses).map(([status, response]) => `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description)}</li>`).join("");
  return `<article><h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>` +
    `<p>${escapeHtml(operation.summary)}</p>${table}${body ? `<details><summary>JSON body</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>` : ""}` +
    `<ul class="responses">${responses}</ul></article>`;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

export const ADMIN_DOCS_CSS = `:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--accent:#0a58ca}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d;--accent:#6ea8fe}}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:60rem;margin:0 auto;padding:1rem}a{color:var(--accent)}
article{border-top:1px solid var(--line);padding:.5rem 0}h3{font-size:1rem;overflow-wrap:anywhere}
.method{display:inline-block;min-width:4.5em;font-weight:700}.get{color:#1a7f37}.post{color:var(--accent)}.patch,.put{color:#9a6700}.delete{color:#cf222e}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
pre{overflow:auto;font-size:.85rem;border:1px solid var(--line);padding:.5rem}.responses{color:var(--muted);font-size:.9rem}
`;
