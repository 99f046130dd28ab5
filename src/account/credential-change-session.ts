import { ACR, atLeastAsStrong, strongestCredentialAcr } from "../login/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { issueSsoAssertion } from "../keys/index.ts";
import type { AccessTokenClaims } from "../oidc/index.ts";
import type { RequestContext, Services } from "../context/index.ts";
import type { User } from "../store/index.ts";
import { AccountError } from "./account-error.ts";
import { requireAccountSession } from "./account-session.ts";

/**
 * The session that may change how the account signs in (add or remove a passkey, the authenticator
 * app, recovery codes, a wallet link): signed in within `reauthenticationWindow` (ten minutes by default), with a class at least
 * as strong as the strongest credential the account holds. Anything less gets 403
 * `reauthentication_required` naming the `acr_values` the page signs in again with (and `max_age`),
 * so a mailbox or a known password can never replace a passkey or an app with the attacker's own.
 */
export async function requireCredentialChangeSession(
  services: Services, context: RequestContext, authorization: string | null, strength: "strongest" | "any" = "strongest",
): Promise<{ user: User; claims: AccessTokenClaims }> {
  const session = await requireAccountSession(services, context, authorization);
  const required = strength === "any" ? ACR.emailLink : await strongestCredentialAcr(services.store, session.user);
  const achieved = typeof session.claims.acr === "string" ? session.claims.acr : "";
  const authTime = typeof session.claims.auth_time === "number" ? session.claims.auth_time : 0;
  const window = services.config.reauthenticationWindow;
  const recent = nowSeconds() - authTime <= window;
  if (!recent || !atLeastAsStrong(achieved, required)) {
    services.audit.record(context.tenant.host, "account.reauthentication_required", { sub: session.user.sub, acr: achieved, required, recent, ip: context.ip });
    throw new AccountError(
      "reauthentication_required",
      recent ? "To change how you sign in, confirm it is you with your strongest sign-in method." : "To change how you sign in, confirm it is you: sign in again.",
      403,
      { acr_values: required, max_age: window },
    );
  }
  return session;
}

/**
 * After a change of how the account signs in: every single sign-on assertion of the user ends
 * (raised session epoch), so a browser that signed in with the old credentials is asked again.
 */
export async function endOtherSessions(services: Services, user: User): Promise<void> {
  await services.store.users.raiseSessionEpoch(user.tenant, user.sub);
}

/** A new single sign-on assertion for this browser at the user's current epoch, for the same authentication the page's session records. */
export async function renewedSso(services: Services, context: RequestContext, user: User, claims: AccessTokenClaims): Promise<string> {
  const current = await services.store.users.findBySub(user.tenant, user.sub);
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((value): value is string => typeof value === "string") : [];
  return issueSsoAssertion(services.keyring, context.issuer, {
    tenant: user.tenant, sub: user.sub, amr, acr: typeof claims.acr === "string" ? claims.acr : "", authTime: Number(claims.auth_time),
  }, current?.sessionEpoch ?? 0, services.config.ssoTtl);
}
