import {
  ACR, meetsAcrValues, openPendingLogin, redeemSignInLink, requiresSecondFactor, secondFactorThrottleKey,
  throttleKeys, verifyPassword, type Authentication,
} from "../login/index.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { nowSeconds } from "../lib/time.ts";
import type { AuthorizationRequest } from "../oidc/authorization-request.ts";
import { emailMethodsOffered } from "./email-link.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { refuseUnlessOffered } from "./method-offered.ts";
import { parseReturn } from "./parse-return.ts";
import { returnErrorToClient } from "./return-to-client.ts";
import { describeWait, notifyLockout, refuseIfRateLimited, tooManyAttempts } from "./attempt-limits.ts";
import { completeFreshSignIn, finishSignIn, refuseUnmetAcr } from "./complete-sign-in.ts";
import { readDeviceToken, readIdTokenHint, readSsoAssertion } from "../keys/index.ts";

/**
 * The login endpoint the sign-in page posts to. `return` carries the authorize
 * request, validated again here. Either `user` + `ha1` (password sign-in) or
 * `sso` (reuse of the assertion the page keeps in localStorage) authenticates;
 * success mints the code through completeAuthorization.
 */
export async function signIn(services: Services, context: RequestContext, params: Params): Promise<Response> {
  const emailToken = params.get("email_token");
  if (emailToken) return emailLinkSignIn(services, context, emailToken, params.get("device"));
  const request = await parseReturn(services, context, params.get("return"));
  await refuseIfRateLimited(services, context);
  if (params.has("user") || params.has("ha1")) {
    refuseUnlessOffered(context.tenant, "password");
    return passwordSignIn(services, context, request, params);
  }
  return singleSignOn(services, context, request, params.get("sso"));
}


/**
 * A mailed sign-in link: it carries the request it completes; it works once. The mailbox stands in
 * for the password only: an account with an authenticator app still owes its code.
 */
async function emailLinkSignIn(services: Services, context: RequestContext, token: string, device: string | undefined): Promise<Response> {
  const redeemed = token.length <= 16384 ? await redeemSignInLink(services, context.tenant.host, context.issuer, token) : null;
  if (!redeemed) throw new OAuthError("invalid_grant", "This sign-in link is invalid, used or expired. Ask for a new one.");
  const request = await parseReturn(services, context, redeemed.returnTo);
  if (await requiresSecondFactor(services.store, context.tenant.host, redeemed.authentication.sub)) {
    const deviceId = await readDeviceToken(services.keyring, context.tenant.host, context.issuer, device, redeemed.authentication.sub);
    return askForSecondFactor(services, context, redeemed.authentication.sub, redeemed.returnTo, "email", deviceId, false);
  }
  return completeFreshSignIn(services, context, request, redeemed.authentication, { method: "email-link" });
}

/**
 * Password sign-in. Failures count per client IP, and per account: against the known device the
 * page vouches for with its device token, else against the username's untrusted path, which an
 * attacker can slow down but which the real user's own devices never depend on.
 */
async function passwordSignIn(services: Services, context: RequestContext, request: AuthorizationRequest, params: Params): Promise<Response> {
  const username = params.get("user");
  const ha1 = params.get("ha1");
  if (!username || !ha1) throw new OAuthError("invalid_request", "Both user and ha1 are required.");
  const tenant = context.tenant.host;
  const now = nowSeconds();
  const account = username.length <= 256 ? await services.store.users.findByUsername(tenant, username) : null;
  const deviceId = account ? await readDeviceToken(services.keyring, tenant, context.issuer, params.get("device"), account.sub) : null;
  // Unknown names are throttled too, by digest: the answer never tells which names exist.
  const throttleKey = deviceId ? throttleKeys.device("pwd", deviceId) : throttleKeys.password(hashSecret(`${tenant}\n${username.toLowerCase()}`));
  const throttle = await services.passwordThrottle.check(tenant, throttleKey, now);
  if (throttle.wait > 0) {
    services.audit.record(tenant, "signin.throttled", { method: "pwd", known_device: deviceId !== null, ip: context.ip, client_id: request.client.clientId });
    throw tooManyAttempts(`Too many failed sign-ins for this account. Try again in ${describeWait(throttle.wait)}, or use a passkey or your EU Wallet.`, throttle.wait);
  }
  const result = await verifyPassword(services, tenant, account, username, ha1);
  if (!result.ok) {
    if (result.reason === "invalid_credentials") {
      await services.loginFailures.record(context.ip);
      const { lockedNow } = await services.passwordThrottle.fail(tenant, throttleKey, now);
      if (lockedNow && account && !deviceId) notifyLockout(services, tenant, account, "password");
    }
    // A name that matches no account may be a password typed into the wrong field: only its digest is kept.
    const who = result.userExists ? { username } : { unknown_username_sha256: hashSecret(username).slice(0, 16) };
    services.audit.record(context.tenant.host, "signin.failure", { method: "pwd", ...who, reason: result.reason, ip: context.ip, client_id: request.client.clientId });
    if (result.reason === "not_allowed") throw new OAuthError("access_denied", "This account may not sign in to applications.", { status: 403 });
    throw new OAuthError("invalid_credentials", "Wrong username or password.");
  }
  await services.passwordThrottle.succeed(tenant, throttleKey, throttle.failures);
  // The most a password can reach is password + code: a request for more needs a passkey.
  if (!meetsAcrValues(ACR.passwordAndOtp, request.acrValues)) return refuseUnmetAcr(services, context, request, result.user.sub);
  if (await requiresSecondFactor(services.store, context.tenant.host, result.user.sub)) {
    const offerEmailCode = Boolean(result.user.email) && emailMethodsOffered(services, context.tenant);
    return askForSecondFactor(services, context, result.user.sub, params.get("return")!, "pwd", deviceId, offerEmailCode);
  }
  return completeFreshSignIn(services, context, request, result.authentication, { method: "pwd", username: result.user.username });
}

/**
 * The first factor was right and the user has an authenticator app: nothing is minted yet. The
 * page gets the ID of a server-side pending login and asks for the code (login-second-factor) —
 * unless the account's codes are paused after too many wrong ones, which is said now.
 */
async function askForSecondFactor(
  services: Services, context: RequestContext, sub: string, returnTo: string, firstFactor: "pwd" | "email", deviceId: string | null, offerEmailCode: boolean,
): Promise<Response> {
  const { wait } = await services.secondFactorThrottle.check(context.tenant.host, secondFactorThrottleKey(sub, deviceId), nowSeconds());
  if (wait > 0) {
    services.audit.record(context.tenant.host, "second_factor.throttled", { sub, known_device: deviceId !== null, ip: context.ip });
    throw tooManyAttempts(`Too many wrong codes for this account. Try again in ${describeWait(wait)}, or use a passkey or your EU Wallet.`, wait);
  }
  const pending = await openPendingLogin(services.store, context.tenant.host, sub, returnTo, firstFactor, deviceId);
  services.audit.record(context.tenant.host, "second_factor.required", { sub, first_factor: firstFactor, ip: context.ip });
  const methods = ["totp", "recovery_code", ...(offerEmailCode ? ["email_code"] : [])];
  return Response.json(
    { second_factor: { pending_login: pending.id, methods, expires_in: pending.expiresIn } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** Reuses an earlier authentication unless prompt=login, max_age or an id_token_hint for someone else forbids it. */
async function singleSignOn(services: Services, context: RequestContext, request: AuthorizationRequest, assertion: string | undefined): Promise<Response> {
  const session = assertion ? await readSsoAssertion(services.keyring, context.tenant.host, context.issuer, assertion) : null;
  // A reused sign-in carries no claims of its own: a wallet's disclosures stay with the grant they were made for.
  const authentication = session ? { ...session, claims: {} } : null;
  const reason = authentication ? await unusableBecause(services, context, request, authentication) : "no session";
  if (reason !== null || !authentication) {
    const error = new OAuthError("login_required", "Sign in to continue.", { status: 401, internal: `single sign-on not used: ${reason}` });
    if (!request.prompt.has("none")) throw error;
    return returnErrorToClient(context, request, error, 401);
  }
  services.audit.record(context.tenant.host, "sso.reuse", { sub: authentication.sub, ip: context.ip, client_id: request.client.clientId });
  return finishSignIn(services, context, request, authentication, null);
}

async function unusableBecause(
  services: Services, context: RequestContext, request: AuthorizationRequest, authentication: Authentication & { sessionEpoch: number },
): Promise<string | null> {
  if (request.prompt.has("login")) return "prompt=login";
  // max_age=0 asks for a sign-in now (OIDC Core §3.1.2.1: like prompt=login), even one in the same second.
  if (request.maxAge === 0) return "max_age=0";
  if (!meetsAcrValues(authentication.acr, request.acrValues)) return "acr_values not met by the earlier sign-in";
  if (request.maxAge !== null && nowSeconds() - authentication.authTime > request.maxAge) return "max_age exceeded";
  if (request.idTokenHint !== null) {
    const hint = await readIdTokenHint(services.keyring, context.tenant.host, context.issuer, request.idTokenHint);
    if (!hint || hint.sub !== authentication.sub) return "id_token_hint names another user";
  }
  const user = await services.store.users.findBySub(context.tenant.host, authentication.sub);
  if (!user || user.disabled || user.role === "siponly") return "user no longer allowed";
  // A sign-out, a password reset or a change of how the account signs in ended it.
  if (user.sessionEpoch !== authentication.sessionEpoch) return "session ended";
  return null;
}
