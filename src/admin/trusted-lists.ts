// The admin API's trusted-list subscriptions (`/admin/api/v1/trust/lists`): the same rules as `sigil trust list-*` (verifier/trusted-list-subscriptions.ts).
import type { RequestContext, Services } from "../context/index.ts";
import { TenantInputError } from "../tenant/index.ts";
import { TrustedListRefresher } from "../verifier/trusted-list-refresh.ts";
import type { TrustedListView } from "../verifier/trusted-list-subscriptions.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { recordAdminChange } from "./record-change.ts";
import { isoTime, json, noContent } from "./respond.ts";

export interface TrustedListBody {
  url?: string;
  document?: string;
  signer_cert_pem: string;
  service_type: string;
  vct?: string;
  doctype?: string;
}

// Certificate parsing needs reflect-metadata before @peculiar/x509, which start-up does not load.
const subscriptions = () => import("reflect-metadata").then(() => import("../verifier/trusted-list-subscriptions.ts"));

const shown = (view: TrustedListView) => ({ ...view, issued_at: isoTime(view.issued_at), next_update: isoTime(view.next_update), refreshed_at: isoTime(view.refreshed_at) });

export async function listTrustedListsRoute(services: Services, context: RequestContext): Promise<Response> {
  return json({ items: (await (await subscriptions()).listTrustedLists(services.store, context.tenant.host)).map(shown) });
}

/** Subscribes, then fetches and verifies at once: the answer says whether the list is in force and, if not, why. */
export async function postTrustedList(services: Services, context: RequestContext, admin: AdminPrincipal, body: TrustedListBody): Promise<Response> {
  const { addTrustedList, viewOf } = await subscriptions();
  const record = await addTrustedList(services.store, context.tenant.host, {
    url: body.url ?? null, document: body.document ?? null, signerPem: body.signer_cert_pem, serviceType: body.service_type, vct: body.vct, doctype: body.doctype,
    allowHttp: services.config.allowHttpFetch,
  });
  await recordAdminChange(services, context, admin, "trust.list_add", { list_id: record.id, url: record.url, service_type: record.serviceType });
  await refresherOf(services).refresh(record);
  const saved = (await services.store.trustedLists.list(context.tenant.host)).find((r) => r.id === record.id)!;
  return json(shown(await viewOf(saved)), 201);
}

export async function refreshTrustedList(services: Services, context: RequestContext, id: string): Promise<Response> {
  const { viewOf } = await subscriptions();
  const record = (await services.store.trustedLists.list(context.tenant.host)).find((r) => r.id === id);
  if (!record) throw new TenantInputError(`${context.tenant.host} has no trusted list ${id}`, "not_found", "id");
  await refresherOf(services).refresh(record);
  const saved = (await services.store.trustedLists.list(context.tenant.host)).find((r) => r.id === id)!;
  return json(shown(await viewOf(saved)));
}

export async function deleteTrustedList(services: Services, context: RequestContext, admin: AdminPrincipal, id: string): Promise<Response> {
  await (await subscriptions()).removeTrustedList(services.store, context.tenant.host, id);
  await recordAdminChange(services, context, admin, "trust.list_remove", { list_id: id });
  return noContent();
}

/** The server's refresher (one attempt per list at a time), or one for this request where none runs. */
function refresherOf(services: Services): TrustedListRefresher {
  return services.wallet.trustedListRefresher ?? new TrustedListRefresher(services.store, services.config, services.audit);
}
