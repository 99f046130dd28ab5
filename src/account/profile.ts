import type { RequestContext, Services } from "../context/index.ts";
import { requireAccountSession } from "./account-session.ts";

/** GET /account/v1/me: who is signed in, and how they signed in. */
export async function profile(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user, claims } = await requireAccountSession(services, context, authorization);
  const totp = await services.store.secondFactors.totp(context.tenant.host, user.sub);
  const enrolled = Boolean(totp?.sealedSecret);
  const recoveryCodesLeft = enrolled ? await services.store.secondFactors.countRecoveryCodes(context.tenant.host, user.sub) : 0;
  return Response.json(
    {
      sub: user.sub, username: user.username, name: user.name, email: user.email, role: user.role, groups: user.groups,
      tenant: context.tenant.host, auth_time: claims.auth_time, acr: claims.acr,
      totp: { enrolled, recovery_codes_left: recoveryCodesLeft },
      wallets_linked: await services.store.walletLinks.countOfUser(context.tenant.host, user.sub),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
