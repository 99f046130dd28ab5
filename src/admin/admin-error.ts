import { OAuthError } from "../lib/oauth-error.ts";
import { TenantInputError } from "../tenant/index.ts";

/** The admin API's stable error codes, one per condition a caller acts on differently. */
export type AdminErrorCode =
  | "unauthenticated" | "forbidden" | "insufficient_scope" | "not_found" | "method_not_allowed"
  | "invalid_input" | "conflict" | "payload_too_large";

/**
 * The admin API's error: `{"error": code, "message": sentence, "field": input}` with its status,
 * rendered by http/render-error.ts. `field` names the input at fault (a body member, a query
 * parameter or a path segment) where there is one.
 */
export class AdminError extends Error {
  override name = "AdminError";
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { error: AdminErrorCode; message: string; field?: string } {
    return { error: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export const invalidInput = (field: string, message: string) => new AdminError("invalid_input", message, 400, field);

/**
 * What the shared operator functions (tenant/, verifier/) and the body reader throw, in the admin
 * API's shape: malformed input 400, naming nothing 404, clashing with what exists 409. Anything
 * else is not the caller's fault and goes on to become a server_error.
 */
export function toAdminError(error: unknown): unknown {
  if (error instanceof TenantInputError) {
    const status = error.kind === "not_found" ? 404 : error.kind === "conflict" ? 409 : 400;
    const code = error.kind === "not_found" ? "not_found" : error.kind === "conflict" ? "conflict" : "invalid_input";
    return new AdminError(code, sentence(error.message), status, error.field);
  }
  if (error instanceof OAuthError && error.status === 413) return new AdminError("payload_too_large", error.description, 413);
  if (error instanceof OAuthError && error.status === 400) return new AdminError("invalid_input", error.description, 400, "body");
  return error;
}

/** The shared functions speak to an operator at a terminal (lower case, CLI flags); the API answers in sentences. */
const sentence = (message: string) => {
  const text = message.replace(/--([a-z-]+)/g, (_flag, name: string) => name.replace(/-/g, "_"));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;
};
