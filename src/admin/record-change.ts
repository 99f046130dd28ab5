import type { RequestContext, Services } from "../context/index.ts";
import type { AdminPrincipal } from "./admin-session.ts";

/**
 * Records an admin's change in the tenant's audit trail, as `admin.change` like the CLI's, with
 * who acted (the user's sub and username, or the client) and what changed, and waits until it is on
 * disk, so the trail never misses a change the caller saw succeed. Callers never pass a secret, an
 * HA1 or a private key: only what was changed, and to what, where that is not secret.
 */
export async function recordAdminChange(services: Services, context: RequestContext, admin: AdminPrincipal, action: string, fields: Record<string, unknown>): Promise<void> {
  const actor = admin.kind === "user" ? { by: "admin", admin_sub: admin.sub, admin: admin.username } : { by: "client", admin_client_id: admin.clientId, admin: admin.clientId };
  services.audit.record(context.tenant.host, "admin.change", { action, ...actor, ...fields, ip: context.ip });
  await services.audit.flush();
}
