import type { RequestContext, Services } from "../context/index.ts";
import { renewedSso, requireCredentialChangeSession } from "./credential-change-session.ts";

/**
 * POST /account/v1/session/sso: after a change of how the account signs in ended every single
 * sign-on assertion, this browser gets a new one for its own (recent) sign-in, so only the other
 * browsers are asked to sign in again. The assertion records the class that sign-in achieved,
 * never more, so it cannot meet a relying party's acr_values the session could not.
 */
export async function renewSso(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user, claims } = await requireCredentialChangeSession(services, context, authorization, "any");
  return Response.json({ sso: await renewedSso(services, context, user, claims) }, { headers: { "Cache-Control": "no-store" } });
}
