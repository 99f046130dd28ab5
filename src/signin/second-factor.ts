import { sendEmailCode, verifySecondFactor, type SecondFactorProof } from "../login/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { admitMailRequest } from "./admit-mail-request.ts";
import { emailMethodsOffered } from "./email-link.ts";
import { parseReturn } from "./parse-return.ts";
import { describeWait, notifyLockout, refuseIfRateLimited, tooManyAttempts } from "./attempt-limits.ts";
import { completeFreshSignIn } from "./complete-sign-in.ts";

const restart = () =>
  new OAuthError("login_required", "This sign-in has ended: it expired, was completed, or had too many wrong codes. Start again with your password.", { status: 400 });

/**
 * login-second-factor: finishes a password sign-in held as a pending login with one of
 * `code` (authenticator app), `recovery_code` or `email_code`. Success answers exactly as
 * the login endpoint does; a wrong code is a 400 that says how many attempts are left.
 */
export async function secondFactorSignIn(services: Services, context: RequestContext, params: Params): Promise<Response> {
  const pendingId = params.get("pending_login");
  const proof = readProof(params);
  if (!pendingId || !proof) throw new OAuthError("invalid_request", "pending_login and one of code, recovery_code or email_code are required.");
  await refuseIfRateLimited(services, context);
  const result = await verifySecondFactor(services, context.tenant.host, pendingId, proof);
  if (!result.ok) {
    if (result.reason === "throttled") {
      services.audit.record(context.tenant.host, "second_factor.throttled", { method: proof.kind, sub: result.sub, ip: context.ip });
      throw tooManyAttempts(`Too many wrong codes for this account. Try again in ${describeWait(result.retryAfter)}, or use a passkey or your EU Wallet.`, result.retryAfter);
    }
    // Wrong codes count per client IP as wrong passwords do.
    if (result.reason !== "no_pending_login") await services.loginFailures.record(context.ip);
    services.audit.record(context.tenant.host, result.reason === "locked" ? "second_factor.locked" : "second_factor.failure", {
      method: proof.kind, reason: result.reason, sub: result.sub, attempts_left: result.attemptsLeft, ip: context.ip,
    });
    if (result.lockedAccount && result.sub) {
      const user = await services.store.users.findBySub(context.tenant.host, result.sub);
      if (user) notifyLockout(services, context.tenant.host, user, "second_factor");
    }
    if (result.attemptsLeft === 0) throw restart();
    const plural = result.attemptsLeft === 1 ? "attempt" : "attempts";
    throw new OAuthError("invalid_grant", `That code is wrong or was already used. ${result.attemptsLeft} ${plural} left.`, { status: 400 });
  }
  const request = await parseReturn(services, context, result.returnTo);
  return completeFreshSignIn(services, context, request, result.authentication, { method: `pwd+${proof.kind}`, username: result.user.username });
}

function readProof(params: Params): SecondFactorProof | null {
  const given = (["code", "recovery_code", "email_code"] as const).filter((name) => params.has(name));
  if (given.length !== 1) return null;
  const name = given[0]!;
  const code = params.get(name)!;
  return name === "code" ? { kind: "totp", code } : { kind: name, code };
}

/** login-email-code: mails a six-digit code for a pending login, the fallback when the app is not at hand. */
export async function emailCodeStart(services: Services, context: RequestContext, params: Params): Promise<Response> {
  const pendingId = params.get("pending_login");
  if (!pendingId) throw new OAuthError("invalid_request", "pending_login is required.");
  if (!emailMethodsOffered(services, context.tenant)) throw new OAuthError("invalid_request", "This server does not send sign-in codes by email.");
  await admitMailRequest(services, context, `pending ${pendingId.slice(0, 64)}`, "second_factor.email_code_rate_limited");
  const { result, sub } = await sendEmailCode(services, context.tenant, pendingId);
  if (result === "no_pending_login") throw restart();
  if (result === "no_address") throw new OAuthError("invalid_request", "There is no email address on this account.");
  if (result === "not_offered") throw new OAuthError("invalid_request", "This sign-in began with a link sent by email: a code by email cannot be its second step.");
  services.audit.record(context.tenant.host, result === "sent" ? "second_factor.email_code_sent" : "second_factor.email_code_failed", { sub, ip: context.ip });
  if (result === "mail_failed") throw new OAuthError("temporarily_unavailable", "The code could not be sent. Try again later.", { status: 503 });
  return Response.json({ ok: true, expires_in: 600 }, { headers: { "Cache-Control": "no-store" } });
}
