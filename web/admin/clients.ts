// Clients: the searchable, sortable, paged list and the form that registers one. A confidential
// client's secret is in the creation answer only, so it goes straight to the one-time panel.
import { adminCall, query, type ListPage } from "../lib/admin-api.ts";
import { el, notify, onSubmit, problem, showSecret, text } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { openClient } from "./client-detail.ts";
import { buildClientFields, readClientFields, type ClientSettings } from "./client-fields.ts";
import { listView, PAGE_SIZE, tableRow, type ListView } from "./table.ts";

export interface ClientJson extends ClientSettings, Record<string, unknown> {
  client_id: string;
  type: "public" | "confidential";
}

export function setupClients(): ListView<ClientJson> {
  const search = byId<HTMLFormElement>("client-search");
  const clients = listView<ClientJson>({
    table: byId<HTMLTableElement>("client-table"),
    prefix: "clients",
    empty: "No clients match.",
    fetchPage: (offset) => {
      const data = new FormData(search);
      return adminCall<ListPage<ClientJson>>("GET", `/clients${query({ client_id: text(data, "client_id"), type: text(data, "type"), limit: PAGE_SIZE, offset })}`);
    },
    row: (client) => {
      const open = el("button", { type: "button", class: "link" }, client.client_id);
      open.addEventListener("click", () => void openClient(client.client_id, () => clients.load()));
      return tableRow(open, client.type, client.grant_types.join(", "), client.redirect_uris.join("\n") || "—");
    },
  });
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    void clients.load().catch((error: Error) => notify(error.message, "error"));
  });

  const form = byId<HTMLFormElement>("client-create-form");
  buildClientFields(byId("new-client-fields"), "new-client");
  onSubmit(form, async (data) => {
    const clientId = text(data, "client_id");
    if (!clientId) throw problem("Choose a client ID.", "client_id");
    const created = await adminCall<ClientJson & { client_secret?: string; warnings?: string[] }>("POST", "/clients", {
      client_id: clientId, type: text(data, "type"), ...readClientFields(data),
    });
    form.reset();
    notify(`Client ${created.client_id} was created.${created.warnings?.length ? ` ${created.warnings.join(" ")}` : ""}`);
    if (created.client_secret) showSecret(`The client secret of ${created.client_id}.`, created.client_secret);
    await clients.load();
  });
  return clients;
}
