/**
 * The one family of protocol errors. Each carries what the client may see
 * (`error`, `error_description`), what only the log sees (`internal`), the
 * HTTP status, and whether it may be sent back to the client's redirect_uri.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable"
  | "login_required"
  | "interaction_required"
  | "consent_required"
  /** OpenID Connect Unmet Authentication Requirements 1.0: the acr_values asked for cannot be met for this user. */
  | "unmet_authentication_requirements"
  | "request_not_supported"
  | "request_uri_not_supported"
  | "registration_not_supported"
  | "invalid_token"
  | "invalid_credentials"
  | "too_many_requests"
  | "not_found"
  | "unknown_host"
  | "payload_too_large"
  | "method_not_allowed";

export interface OAuthErrorOptions {
  status?: number;
  internal?: string;
  /** May this error be delivered to the client's redirect_uri? Only once client and redirect_uri are validated. */
  redirectable?: boolean;
  headers?: Record<string, string>;
  /** Further members of the JSON body, for a client that must act on them (the sign-in page's `redirect`). */
  details?: Record<string, string>;
}

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
  readonly internal: string;
  readonly redirectable: boolean;
  readonly headers: Record<string, string>;
  readonly details: Record<string, string>;

  constructor(error: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    super(`${error}: ${options.internal ?? description}`);
    this.name = "OAuthError";
    this.error = error;
    // error_description must not carry CR, LF or TAB (RFC 6749 §5.2 character set).
    this.description = description.replace(/[\r\n\t]+/g, " ").replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "?");
    this.status = options.status ?? defaultStatus(error);
    this.internal = options.internal ?? description;
    this.redirectable = options.redirectable ?? false;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }

  /** The JSON body RFC 6749 §5.2 describes. */
  toJSON(): Record<string, string> {
    return { ...this.details, error: this.error, error_description: this.description };
  }
}

function defaultStatus(error: OAuthErrorCode): number {
  switch (error) {
    case "invalid_client":
    case "invalid_token":
    case "invalid_credentials":
      return 401;
    case "not_found":
      return 404;
    case "method_not_allowed":
      return 405;
    case "payload_too_large":
      return 413;
    case "unknown_host":
      return 421;
    case "too_many_requests":
      return 429;
    case "server_error":
      return 500;
    case "temporarily_unavailable":
      return 503;
    default:
      return 400;
  }
}

export const isOAuthError = (value: unknown): value is OAuthError => value instanceof OAuthError;
