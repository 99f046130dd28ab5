import { AccountError } from "../account/index.ts";
import type { ErrorStyle } from "../context/index.ts";
import { escapeHtml, htmlPage } from "../lib/html.ts";
import { OAuthError } from "../lib/oauth-error.ts";

/**
 * The one place failures are rendered: the account API's own JSON shape for its errors, RFC 6749
 * §5.2 JSON for protocol clients, or a page for a person. Anything that is neither becomes
 * `server_error` with no detail on the wire; the detail goes to the log.
 */
export function renderError(error: unknown, style: ErrorStyle): Response {
  if (error instanceof AccountError) return renderAccountError(error);
  const oauth = toOAuthError(error);
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...oauth.headers };
  if (style === "json") return Response.json(oauth.toJSON(), { status: oauth.status, headers });
  const body =
    `<main id="sigil-error" class="card" data-error="${escapeHtml(oauth.error)}"><h1>Sign-in error</h1>` +
    `<p class="error-description">${escapeHtml(oauth.description)}</p><p class="error-code">Error: ${escapeHtml(oauth.error)}</p></main>`;
  return new Response(htmlPage("Sign-in error", body), { status: oauth.status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) {
    if (error.status >= 500) console.error(`${error.error}: ${error.internal}`);
    return error;
  }
  console.error("unexpected error:", error);
  return new OAuthError("server_error", "Something went wrong on the server. Try again later.", { status: 500 });
}

/** The account API's shape: a stable machine code, a sentence for a person, and the details the page acts on. */
function renderAccountError(error: AccountError): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.status === 401) headers["WWW-Authenticate"] = 'Bearer error="invalid_token"';
  return Response.json({ error: { code: error.code, message: error.message, ...error.details } }, { status: error.status, headers });
}
