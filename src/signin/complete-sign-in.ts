import type { RequestContext, Services } from "../context/index.ts";
import { issueDeviceToken, issueSsoAssertion } from "../keys/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { ACR, acrRank, meetsAcrValues, type Authentication } from "../login/index.ts";
import { redirect } from "../oidc/authorize.ts";
import type { AuthorizationRequest } from "../oidc/authorization-request.ts";
import { completeAuthorization } from "../oidc/complete-authorization.ts";
import { returnErrorToClient } from "./return-to-client.ts";

/**
 * A sign-in proved just now, by any method: audited with `details` (the method and what names
 * it), given a fresh single sign-on assertion, and completed as every sign-in is.
 */
export async function completeFreshSignIn(
  services: Services, context: RequestContext, request: AuthorizationRequest, authentication: Authentication, details: Record<string, unknown>,
): Promise<Response> {
  services.audit.record(context.tenant.host, "signin.success", { ...details, sub: authentication.sub, ip: context.ip, client_id: request.client.clientId });
  const user = await services.store.users.findBySub(context.tenant.host, authentication.sub);
  const sso = await issueSsoAssertion(services.keyring, context.issuer, authentication, user?.sessionEpoch ?? 0, services.config.ssoTtl);
  // This browser has now signed in as this user, with at least the password's strength: its later
  // failures count against it alone. A mailbox alone makes no known device, or each mailed link would
  // buy its holder a fresh count of password guesses.
  const device = acrRank(authentication.acr) >= acrRank(ACR.password)
    ? await issueDeviceToken(services.keyring, context.tenant.host, context.issuer, authentication.sub)
    : undefined;
  return finishSignIn(services, context, request, authentication, { sso, ...(device ? { device } : {}) });
}

export async function finishSignIn(
  services: Services, context: RequestContext, request: AuthorizationRequest, authentication: Authentication, fresh: { sso: string; device?: string } | null,
): Promise<Response> {
  if (!meetsAcrValues(authentication.acr, request.acrValues)) return refuseUnmetAcr(services, context, request, authentication.sub);
  const { code, redirect: location } = await completeAuthorization(services, context, request, authentication);
  if (!context.wantsJson) return redirect(location);
  return Response.json({ ok: true, code, redirect: location, ...(fresh ?? {}) }, { headers: { "Cache-Control": "no-store" } });
}

/**
 * The relying party asked (acr_values) for more than this sign-in achieved. A user with a
 * passkey is told to use it; a user without one cannot meet the request, and the relying
 * party hears so: never a silent downgrade to a weaker acr.
 * @see https://openid.net/specs/openid-connect-unmet-authentication-requirements-1_0.html
 */
export async function refuseUnmetAcr(services: Services, context: RequestContext, request: AuthorizationRequest, sub: string): Promise<Response> {
  const hasPasskey = (await services.store.passkeys.listOfUser(context.tenant.host, sub)).length > 0;
  services.audit.record(context.tenant.host, "signin.acr_unmet", { sub, requested: request.acrValues, has_passkey: hasPasskey, ip: context.ip, client_id: request.client.clientId });
  if (hasPasskey) throw new OAuthError("interaction_required", "This application asks you to sign in with your passkey.", { status: 400 });
  const error = new OAuthError("unmet_authentication_requirements", "The application requires a passkey sign-in, and this account has no passkey.", { redirectable: true });
  return returnErrorToClient(context, request, error, 400);
}
