// Users: the searchable, sortable, paged list, and the form that creates a user with a password
// (its HA1 computed here with the tenant's realm: the password never leaves the browser), with a
// mailed invitation, or with no password.
import { adminCall, query, type ListPage } from "../lib/admin-api.ts";
import { el, notify, onSubmit, problem, text, words } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { computeHa1 } from "../lib/ha1.ts";
import { listView, PAGE_SIZE, tableRow, type ListView } from "./table.ts";
import { openUser } from "./user-detail.ts";

export interface UserJson extends Record<string, unknown> {
  sub: string;
  username: string;
  name: string | null;
  email: string | null;
  email_verified: boolean;
  role: string;
  groups: string[];
  disabled: boolean;
  has_password: boolean;
}

const MIN_PASSWORD = 8;

export function setupUsers(realm: () => string): ListView<UserJson> {
  const search = byId<HTMLFormElement>("user-search");
  const users = listView<UserJson>({
    table: byId<HTMLTableElement>("user-table"),
    prefix: "users",
    empty: "No users match.",
    fetchPage: (offset) => {
      const data = new FormData(search);
      return adminCall<ListPage<UserJson>>("GET", `/users${query({ username: text(data, "username"), email: text(data, "email"), role: text(data, "role"), disabled: text(data, "disabled"), limit: PAGE_SIZE, offset })}`);
    },
    row: (user) => {
      const open = el("button", { type: "button", class: "link" }, user.username);
      open.addEventListener("click", () => void openUser(user.username, realm, () => users.load()));
      return tableRow(open, user.name ?? "—", user.email ?? "—", user.role, user.groups.join(", ") || "—", user.disabled ? "Disabled" : "Active");
    },
  });
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    void users.load().catch((error: Error) => notify(error.message, "error"));
  });

  const form = byId<HTMLFormElement>("user-create-form");
  const passwordFields = byId("new-user-password-fields");
  form.addEventListener("change", () => {
    passwordFields.hidden = new FormData(form).get("mode") !== "password";
  });
  onSubmit(form, async (data) => {
    const username = text(data, "username");
    const mode = String(data.get("mode"));
    const password = String(data.get("password") ?? "");
    if (!username) throw problem("Choose a username.", "username");
    if (mode === "password" && password.length < MIN_PASSWORD) throw problem(`The password needs at least ${MIN_PASSWORD} characters.`, "ha1");
    if (mode === "password" && password !== String(data.get("confirm") ?? "")) throw problem("The two passwords do not match.", "confirm");
    const email = text(data, "email");
    const created = await adminCall<UserJson & { invitation?: string }>("POST", "/users", {
      username, role: text(data, "role"), name: text(data, "name") || null, email: email || null, groups: words(data.get("groups")),
      ...(mode === "password" ? { ha1: computeHa1(username, realm(), password) } : {}), ...(mode === "invite" ? { invite: true } : {}),
    });
    form.reset();
    passwordFields.hidden = false;
    notify(`User ${created.username} was created${created.invitation ? ` (invitation: ${created.invitation})` : ""}.`);
    await users.load();
  });
  return users;
}
