// One client, opened from the list: edit its settings, rotate its secret (the new one shown once,
// the old one stops working), set its own DCQL query for wallet sign-in, or delete it.
import { adminCall } from "../lib/admin-api.ts";
import { button, confirmAction, el, notify, onSubmit, problem, showSecret, text } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { buildClientFields, fillClientFields, readClientFields } from "./client-fields.ts";
import type { ClientJson } from "./clients.ts";

const panel = () => byId("client-detail");
const path = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;
let current: { clientId: string; reload: () => Promise<void> } | null = null;

export async function openClient(clientId: string, reload: () => Promise<void>): Promise<void> {
  current = { clientId, reload };
  const [client, dcql] = await Promise.all([adminCall<ClientJson>("GET", path(clientId)), adminCall<{ dcql_query: unknown }>("GET", `${path(clientId)}/dcql`)]);
  byId("client-detail-title").textContent = `Client ${client.client_id} (${client.type})`;
  fillClientFields(byId<HTMLFormElement>("client-edit-form"), client);
  byId<HTMLTextAreaElement>("client-dcql").value = dcql.dcql_query === null ? "" : JSON.stringify(dcql.dcql_query, null, 2);
  byId("client-actions").replaceChildren(
    ...(client.type === "confidential"
      ? [button("Rotate the secret", async () => {
        if (!(await confirmAction(`Give ${clientId} a new secret? The current one stops working at once.`, "Rotate the secret"))) return;
        const answer = await adminCall<{ client_secret: string }>("POST", `${path(clientId)}/secret`);
        showSecret(`The new client secret of ${clientId}.`, answer.client_secret);
      })]
      : []),
    button("Delete client", async () => {
      if (!(await confirmAction(`Delete the client ${clientId}? It can no longer sign anyone in. This cannot be undone.`, "Delete client"))) return;
      await adminCall("DELETE", path(clientId));
      notify(`The client ${clientId} was deleted.`);
      panel().hidden = true;
      byId("client-search-id").focus();
      await reload();
    }, "danger small"),
  );
  panel().hidden = false;
  panel().focus();
}

export function wireClientDetail(): void {
  const form = byId<HTMLFormElement>("client-edit-form");
  buildClientFields(form, "edit-client");
  form.append(el("p", { class: "form-error message error", role: "alert" }), el("button", { class: "primary", type: "submit" }, "Save changes"));
  onSubmit(form, async (data) => {
    if (!current) return;
    const answer = await adminCall<{ warnings?: string[] }>("PATCH", path(current.clientId), readClientFields(data));
    notify(`${current.clientId} was saved.${answer.warnings?.length ? ` ${answer.warnings.join(" ")}` : ""}`);
    await current.reload();
  });
  onSubmit(byId<HTMLFormElement>("client-dcql-form"), async (data) => {
    if (!current) return;
    const source = text(data, "dcql_query");
    let dcqlQuery: unknown = null;
    if (source) {
      try {
        dcqlQuery = JSON.parse(source);
      } catch {
        throw problem("This is not JSON.", "dcql_query");
      }
    }
    await adminCall("PUT", `${path(current.clientId)}/dcql`, { dcql_query: dcqlQuery });
    notify(dcqlQuery === null ? `${current.clientId} uses the tenant's DCQL query.` : `${current.clientId}'s DCQL query was saved.`);
  });
  byId("client-detail-close").addEventListener("click", () => {
    panel().hidden = true;
    current = null;
  });
}
