import type { AuditEvent } from "../audit/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { describeWait, tooManyAttempts } from "./attempt-limits.ts";

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The address a mail-sending request names, trimmed and lower-cased; a malformed one is a 400. */
export function requestedAddress(params: Params): string {
  const email = params.get("email")?.trim().toLowerCase();
  if (!email || !EMAIL.test(email)) throw new OAuthError("invalid_request", "Enter an email address.");
  return email;
}

/**
 * Admits one request that sends mail (recovery link, sign-in link, sign-in code): at most so
 * many per client IP and per tenant and `subject` (an address, a pending login) in the window.
 * Every admitted request counts, whether or not mail goes out; a refused one is audited as `refused`.
 */
export async function admitMailRequest(services: Services, context: RequestContext, subject: string, refused: AuditEvent): Promise<void> {
  const subjectKey = `${context.tenant.host} ${subject}`;
  const wait = Math.max(await services.mailRequestsByIp.retryAfter(context.ip), await services.mailRequestsByAddress.retryAfter(subjectKey));
  if (wait > 0) {
    services.audit.record(context.tenant.host, refused, { ip: context.ip });
    throw tooManyAttempts(`Too many requests. Try again in ${describeWait(wait)}.`, wait);
  }
  await Promise.all([services.mailRequestsByIp.record(context.ip), services.mailRequestsByAddress.record(subjectKey)]);
}
