import { AccountError } from "../account/index.ts";
import { AdminError } from "../admin/index.ts";
import type { ErrorStyle } from "../context/index.ts";
import { escapeHtml, htmlPage } from "../lib/html.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Logger } from "./log.ts";

/**
 * The one place failures are rendered: the account API's own JSON shape for its errors, RFC 6749
 * §5.2 JSON for protocol clients, or a page for a person. Anything that is neither becomes
 * `server_error` with no detail on the wire but the request id; the detail goes to the log.
 */
export function renderError(error: unknown, style: ErrorStyle, failure: FailureReport): Response {
  if (error instanceof AccountError) return renderAccountError(error);
  if (error instanceof AdminError) return renderAdminError(error);
  const oauth = toOAuthError(error, failure);
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...oauth.headers };
  // A 5xx names its request id, so that a person can hand it to the operator, who finds the log record by it.
  const requestId = oauth.status >= 500 ? failure.requestId : null;
  if (style === "json") {
    const body = oauth === SERVER_ERROR ? { error: oauth.error } : oauth.toJSON();
    return Response.json(requestId ? { ...body, request_id: requestId } : body, { status: oauth.status, headers });
  }
  const body =
    `<main id="sigil-error" class="card" data-error="${escapeHtml(oauth.error)}"><h1>Sign-in error</h1>` +
    `<p class="error-description">${escapeHtml(oauth.description)}</p><p class="error-code">Error: ${escapeHtml(oauth.error)}</p>` +
    (requestId ? `<p class="request-id">Request id: <code>${escapeHtml(requestId)}</code></p>` : "") + `</main>`;
  return new Response(htmlPage("Sign-in error", body), { status: oauth.status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

/** Where what the client must not see goes: the request's id and the operational log (http/log.ts). */
export interface FailureReport {
  readonly requestId: string;
  readonly logger: Logger;
}

/** What the client learns of an unexpected exception: this, and the request id; nothing of the exception. */
const SERVER_ERROR = new OAuthError("server_error", "Something went wrong on the server. Try again later.", { status: 500 });

export function toOAuthError(error: unknown, failure: FailureReport): OAuthError {
  if (error instanceof OAuthError) {
    if (error.status >= 500) failure.logger.log("error", "server error", { request_id: failure.requestId, error: error.error, detail: error.internal });
    return error;
  }
  // One record, whatever the exception: its stack on one line, so that a log shipper keeps it whole.
  const thrown = error instanceof Error ? error : new Error(String(error));
  failure.logger.log("error", "unexpected error", { request_id: failure.requestId, error: `${thrown.name}: ${thrown.message}`, stack: thrown.stack ?? "" });
  return SERVER_ERROR;
}

/** The account API's shape: a stable machine code, a sentence for a person, and the details the page acts on. */
function renderAccountError(error: AccountError): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.status === 401) headers["WWW-Authenticate"] = 'Bearer error="invalid_token"';
  return Response.json({ error: { code: error.code, message: error.message, ...error.details } }, { status: error.status, headers });
}

/** The admin API's shape: `{"error": code, "message": sentence, "field": input}`; a 401 or 403 carries RFC 6750's challenge. */
function renderAdminError(error: AdminError): Response {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.status === 401) headers["WWW-Authenticate"] = 'Bearer error="invalid_token"';
  if (error.code === "insufficient_scope") headers["WWW-Authenticate"] = 'Bearer error="insufficient_scope", scope="sigil:admin"';
  return Response.json(error.toJSON(), { status: error.status, headers });
}
