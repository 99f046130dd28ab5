// The settings a client is created and edited with (URIs, grant types, scopes, refresh token
// lifetime), built once for each of the two forms so that both name their inputs as the API
// names its members, and an API error finds its field in either.
import { el, lines, problem, text, words } from "../lib/admin-ui.ts";

export interface ClientSettings {
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  refresh_token_ttl: number | null;
}

const GRANTS = [
  ["authorization_code", "Authorization code (people sign in)"],
  ["refresh_token", "Refresh token"],
  ["client_credentials", "Client credentials (a machine, confidential only)"],
] as const;

export function buildClientFields(container: HTMLElement, prefix: string): void {
  const id = (name: string) => `${prefix}-${name}`;
  const hint = (name: string, textContent: string) => el("p", { id: id(`${name}-hint`), class: "hint" }, textContent);
  container.replaceChildren(
    el("label", { for: id("redirect-uris") }, "Redirect URIs"),
    el("textarea", { id: id("redirect-uris"), name: "redirect_uris", rows: "3", spellcheck: "false", "aria-describedby": id("redirect-uris-hint") }),
    hint("redirect-uris", "One per line, exact (no wildcards)."),
    el("label", { for: id("logout-uris") }, "Post-logout redirect URIs"),
    el("textarea", { id: id("logout-uris"), name: "post_logout_redirect_uris", rows: "2", spellcheck: "false", "aria-describedby": id("logout-uris-hint") }),
    hint("logout-uris", "One per line."),
    el("fieldset", { class: "field-group", "data-field": "grant_types", tabindex: "-1" },
      el("legend", {}, "Grant types"),
      ...GRANTS.map(([value, label]) => el("label", { class: "check" }, el("input", { type: "checkbox", name: "grant_types", value, checked: value !== "client_credentials" }), ` ${label}`))),
    el("label", { for: id("scopes") }, "Extra scopes"),
    el("input", { id: id("scopes"), name: "scopes", type: "text", spellcheck: "false", "aria-describedby": id("scopes-hint") }),
    hint("scopes", "Separated by spaces; sigil:admin lets a client-credentials client use the admin API."),
    el("label", { for: id("ttl") }, "Refresh token lifetime (seconds)"),
    el("input", { id: id("ttl"), name: "refresh_token_ttl", type: "number", min: "60", max: String(365 * 86400), inputmode: "numeric", "aria-describedby": id("ttl-hint") }),
    hint("ttl", "Empty: the server default."),
  );
}

export function fillClientFields(form: HTMLFormElement, client: ClientSettings): void {
  const field = <T extends Element>(name: string) => form.querySelector<T & Element>(`[name="${name}"]`)!;
  (field<HTMLTextAreaElement>("redirect_uris")).value = client.redirect_uris.join("\n");
  (field<HTMLTextAreaElement>("post_logout_redirect_uris")).value = client.post_logout_redirect_uris.join("\n");
  for (const box of form.querySelectorAll<HTMLInputElement>('[name="grant_types"]')) box.checked = client.grant_types.includes(box.value);
  (field<HTMLInputElement>("scopes")).value = client.scopes.join(" ");
  (field<HTMLInputElement>("refresh_token_ttl")).value = client.refresh_token_ttl === null ? "" : String(client.refresh_token_ttl);
}

export function readClientFields(data: FormData): ClientSettings {
  const ttl = text(data, "refresh_token_ttl");
  if (ttl !== "" && !/^\d+$/.test(ttl)) throw problem("The lifetime is a whole number of seconds.", "refresh_token_ttl");
  const grantTypes = data.getAll("grant_types").map(String);
  if (grantTypes.length === 0) throw problem("Choose at least one grant type.", "grant_types");
  return {
    redirect_uris: lines(data.get("redirect_uris")), post_logout_redirect_uris: lines(data.get("post_logout_redirect_uris")),
    grant_types: grantTypes, scopes: words(data.get("scopes")), refresh_token_ttl: ttl === "" ? null : Number(ttl),
  };
}
