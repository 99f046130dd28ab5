import type { RequestContext, Services } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { completeSetup, TenantInputError } from "../tenant/index.ts";

/** setup {token, username, ha1}: the first admin chooses a password with the one-time link `serve` printed. */
export async function finishSetup(services: Services, context: RequestContext, params: Params): Promise<Response> {
  const token = params.get("token");
  const username = params.get("username");
  const ha1 = params.get("ha1");
  if (!token || !username || !ha1) throw new OAuthError("invalid_request", "token, username and ha1 are required.");
  try {
    await completeSetup(services.store, services.keyring, context.tenant.host, token, username, ha1.toLowerCase());
  } catch (error) {
    if (error instanceof TenantInputError) throw new OAuthError("invalid_request", error.message);
    throw error;
  }
  services.audit.record(context.tenant.host, "setup.completed", { username, ip: context.ip });
  return Response.json({ ok: true, username, login: "/login.html" }, { headers: { "Cache-Control": "no-store" } });
}
