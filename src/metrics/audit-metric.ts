// Which audit events are counted, and as what. Label values come from fixed lists: a value an
// event carries that is not on its list is counted as "other", so no request can mint new series.
import type { AuditEvent } from "../audit/index.ts";

export type AuditMetric =
  | { kind: "signin"; method: string; result: "success" | "failure" | "limited" }
  | { kind: "token"; grant: string }
  | { kind: "presentation"; result: "verified" | "rejected"; check: string };

const SIGN_IN_METHODS = new Set(["pwd", "pwd+totp", "pwd+recovery_code", "pwd+email_code", "passkey", "email-link", "eu-wallet", "sso", "second_factor", "any"]);
const GRANTS = new Set(["authorization_code", "refresh_token", "client_credentials"]);
/** The checks a wallet presentation fails are the verifier's own short codes (oid4vp presentation errors). */
const CHECK_CODE = /^[a-z][a-z0-9_.-]{0,47}$/;

const signIn = (method: unknown, result: "success" | "failure" | "limited"): AuditMetric =>
  ({ kind: "signin", method: typeof method === "string" && SIGN_IN_METHODS.has(method) ? method : "other", result });

export function auditMetric(event: AuditEvent, fields: Record<string, unknown>): AuditMetric | null {
  switch (event) {
    case "signin.success": return signIn(fields.method, "success");
    case "signin.failure": return signIn(fields.method, "failure");
    case "sso.reuse": return signIn("sso", "success");
    case "passkey.signin_failure": return signIn("passkey", "failure");
    case "second_factor.failure": case "second_factor.locked": return signIn("second_factor", "failure");
    case "signin.rate_limited": case "signin.throttled": return signIn(fields.method ?? "any", "limited");
    case "token.issued": return { kind: "token", grant: typeof fields.grant === "string" && GRANTS.has(fields.grant) ? fields.grant : "other" };
    case "token.refreshed": return { kind: "token", grant: "refresh_token" };
    case "wallet.verified": return { kind: "presentation", result: "verified", check: "" };
    case "wallet.rejected": return { kind: "presentation", result: "rejected", check: typeof fields.check === "string" && CHECK_CODE.test(fields.check) ? fields.check : "other" };
    default: return null;
  }
}
