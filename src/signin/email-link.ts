import { sendSignInLinks } from "../login/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { Tenant } from "../store/index.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { admitMailRequest, requestedAddress } from "./admit-mail-request.ts";
import { parseReturn } from "./parse-return.ts";

/** The one answer email-link-start gives, whether or not the address belongs to anyone. */
const SENT = JSON.stringify({ ok: true, message: "If an account uses that address, a sign-in link is on its way. It works once, for 15 minutes." });

/**
 * Email sign-in links and emailed codes need mail a person can actually read: a real SMTP
 * server (the tenant's own or the global one), and a tenant that has not turned them off.
 */
export const emailMethodsOffered = (services: Services, tenant: Tenant): boolean =>
  tenant.mail.emailMethods !== "off" && (tenant.mail.sealedSmtpUrl !== null || services.config.smtpUrl !== null);

/**
 * email-link-start: validates the pending authorization request, then always answers the same
 * bytes; the look-up, the signing and the mail run on the background queue after the answer. The
 * link points at the tenant's canonical origin. Rate-limited per IP and per address.
 */
export async function emailLinkStart(services: Services, context: RequestContext, params: Params): Promise<Response> {
  if (!emailMethodsOffered(services, context.tenant)) throw new OAuthError("not_found", "Sign-in links are not offered here.");
  const returnTo = params.get("return");
  await parseReturn(services, context, returnTo);
  const email = requestedAddress(params);
  await admitMailRequest(services, context, email, "email_link.rate_limited");
  const { tenant, ip } = context;
  services.background.enqueue("sign-in link mail", () => sendSignInLinks(services, tenant, services.canonicalOrigin(tenant), email, returnTo!, ip));
  return new Response(SENT, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
