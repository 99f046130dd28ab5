/**
 * The one error a presentation check throws. It is an OAuthError (so the
 * caller's HTTP layer renders it as any protocol error) that also names the
 * check that failed, so the audit trail says *which* rule a wallet broke.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.5
 */
import { OAuthError } from "../lib/oauth-error.ts";
import type { OAuthErrorCode } from "../lib/oauth-error.ts";

/** Stable names for every check; audit logs and tests key on them, so never rename one. */
export type PresentationCheck =
  | "transaction_expired"
  | "response_format"
  | "response_encryption"
  | "response_key"
  | "response_alg"
  | "response_decrypt"
  | "response_cleartext"
  | "wallet_error"
  | "dc_api_protocol"
  | "state"
  | "vp_token_format"
  | "dcql_unknown_query"
  | "dcql_unsatisfied"
  | "credential_format"
  | "credential_typ"
  | "credential_vct"
  | "credential_expired"
  | "credential_not_yet_valid"
  | "credential_signature"
  | "credential_invalid"
  | "credential_too_deep"
  | "issuer_trust"
  | "disclosure_digest"
  | "disclosure_duplicate"
  | "disclosure_reserved_name"
  | "kb_missing"
  | "kb_typ"
  | "kb_alg"
  | "kb_cnf"
  | "kb_signature"
  | "kb_nonce"
  | "kb_aud"
  | "kb_iat"
  | "kb_sd_hash"
  | "status_fetch"
  | "status_signature"
  | "status_trust"
  | "status_index"
  | "status_revoked"
  | "status_suspended"
  | "status_invalid"
  | "mdoc_format"
  | "mdoc_status"
  | "mdoc_doctype"
  | "mdoc_alg"
  | "mdoc_digest"
  | "mdoc_device_mac"
  | "mdoc_device_signature";

export class PresentationError extends OAuthError {
  readonly check: PresentationCheck;

  constructor(check: PresentationCheck, description: string, options: { error?: OAuthErrorCode; internal?: string } = {}) {
    super(options.error ?? "invalid_request", description, { internal: options.internal ? `${check}: ${options.internal}` : `${check}: ${description}` });
    this.name = "PresentationError";
    this.check = check;
  }
}

export const isPresentationError = (value: unknown): value is PresentationError => value instanceof PresentationError;

/** Runs `work`; any non-PresentationError it throws becomes one under `check` (library errors carry no check name). */
export async function asCheck<T>(check: PresentationCheck, description: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (cause instanceof PresentationError) throw cause;
    throw new PresentationError(check, description, { internal: cause instanceof Error ? cause.message : String(cause) });
  }
}
