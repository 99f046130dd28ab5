import { finishRecovery, sendRecoveryLinks } from "../login/index.ts";
import { refuseUnlessOffered } from "./method-offered.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { admitMailRequest, requestedAddress } from "./admit-mail-request.ts";
import { redirect } from "../oidc/authorize.ts";
import type { RequestContext, Services } from "../context/index.ts";

/** The one answer recover-start gives, whether or not the address belongs to anyone. */
const SENT = JSON.stringify({ ok: true, message: "If an account uses that address, a link to reset its password is on its way." });

/**
 * recover-start: always the same 200 (byte for byte) for a well-formed address; the look-up,
 * the signing and the mail run on the background queue after the answer has gone, so its timing
 * says nothing either. The link points at the tenant's canonical origin, never at the Host or
 * X-Forwarded-* of this request. Rate-limited per IP and per address, counting every request.
 */
export async function recoverStart(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "password");
  const email = requestedAddress(params);
  await admitMailRequest(services, context, email, "recovery.rate_limited");
  const { tenant, ip } = context;
  services.background.enqueue("recovery mail", () => sendRecoveryLinks(services, tenant, services.canonicalOrigin(tenant), email, ip));
  return new Response(SENT, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

/** recover-finish: a new HA1 from a valid recovery token; success goes to /login.html?recovered=1. */
export async function recoverFinish(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "password");
  const token = params.get("token");
  const newHa1 = params.get("new_ha1");
  if (!token || !newHa1) throw new OAuthError("invalid_request", "token and new_ha1 are required.");
  try {
    await finishRecovery(services, context.tenant.host, context.issuer, token, newHa1, context.ip);
  } catch (error) {
    if (error instanceof OAuthError) services.audit.record(context.tenant.host, "recovery.failed", { reason: error.internal, ip: context.ip });
    throw error;
  }
  const location = "/login.html?recovered=1";
  if (!context.wantsJson) return redirect(location);
  return Response.json({ ok: true, redirect: location }, { headers: { "Cache-Control": "no-store" } });
}
