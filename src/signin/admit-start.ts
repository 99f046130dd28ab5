import { OAuthError } from "../lib/oauth-error.ts";
import { nowSeconds } from "../lib/time.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { describeWait, tooManyAttempts } from "./attempt-limits.ts";

export type StartKind = "wallet" | "passkey";

/**
 * Admits one start that makes the store hold a row for a caller nobody has authenticated yet (a
 * wallet transaction, a passkey challenge): so many per client IP and per tenant a minute, and
 * never more live rows per tenant than the cap. Rows that nobody used expire at their TTL.
 * The tenant-wide limits trade a flood's cost to the store for a flood's cost to that tenant's
 * other users: passwords and email links are not affected by them.
 */
export async function admitStart(services: Services, context: RequestContext, kind: StartKind): Promise<void> {
  const ipKey = `${kind} ${context.ip}`;
  const tenantKey = `${kind} ${context.tenant.host}`;
  const wait = Math.max(await services.startsByIp.retryAfter(ipKey), await services.startsByTenant.retryAfter(tenantKey));
  if (wait > 0) {
    services.audit.record(context.tenant.host, "start.rate_limited", { kind, ip: context.ip });
    throw tooManyAttempts(`Too many sign-ins were started. Try again in ${describeWait(wait)}.`, wait);
  }
  const now = nowSeconds();
  const live = kind === "wallet"
    ? await services.store.walletTransactions.countLive(context.tenant.host, now)
    : await services.store.webauthnChallenges.countLive(context.tenant.host, now);
  if (live >= services.config.liveTransactionCap) {
    services.audit.record(context.tenant.host, "start.capped", { kind, live, ip: context.ip });
    throw new OAuthError("temporarily_unavailable", "Too many sign-ins are in progress here. Try again in a minute.", { status: 503, headers: { "Retry-After": "60" } });
  }
  await Promise.all([services.startsByIp.record(ipKey), services.startsByTenant.record(tenantKey)]);
}
