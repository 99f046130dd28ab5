/** How the sign-in page is told to wait: every 429 of the sign-in endpoints, and the limits and lock-out notices behind them. */
import type { RequestContext, Services } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { sendLockoutNotice } from "../login/index.ts";
import type { User } from "../store/index.ts";

export function tooManyAttempts(description: string, wait: number): OAuthError {
  return new OAuthError("too_many_requests", description, { headers: { "Retry-After": String(wait) } });
}

export const describeWait = (seconds: number): string =>
  seconds < 90 ? `${seconds} ${seconds === 1 ? "second" : "seconds"}` : `${Math.ceil(seconds / 60)} minutes`;

/** The first failure that throttles an account is told to its holder, after the answer. */
export function notifyLockout(services: Services, tenant: string, user: User, kind: "password" | "second_factor"): void {
  services.audit.record(tenant, "account.throttled", { sub: user.sub, kind });
  services.background.enqueue("lockout notice", () => sendLockoutNotice(services.mailer, tenant, user, kind));
}

/** Every sign-in attempt from an IP over the failure limit is refused, right or wrong. */
export async function refuseIfRateLimited(services: Services, context: RequestContext): Promise<void> {
  const retryAfter = await services.loginFailures.retryAfter(context.ip);
  if (retryAfter > 0) {
    services.audit.record(context.tenant.host, "signin.rate_limited", { ip: context.ip });
    throw tooManyAttempts(`Too many failed sign-ins. Try again in ${describeWait(retryAfter)}.`, retryAfter);
  }
}
