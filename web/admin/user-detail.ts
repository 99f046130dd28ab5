// One user, opened from the list: edit the profile, role and groups; set a password (HA1 made
// here); disable or enable; reset the authenticator app; mail a new invitation; remove passkeys
// and wallet links; delete. Everything that cannot be undone asks first.
import { adminCall } from "../lib/admin-api.ts";
import { button, confirmAction, el, notify, onSubmit, problem, text, when, words } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { computeHa1 } from "../lib/ha1.ts";
import type { UserJson } from "./users.ts";

interface UserDetail extends UserJson {
  totp: { enrolled_at: string; recovery_codes_left: number } | null;
  passkeys: number;
  wallet_links: number;
  created_at: string;
}
interface Passkey { credential_id: string; label: string | null; created_at: string; last_used_at: string | null }
interface WalletLink { id: string; created_at: string }

const panel = () => byId("user-detail");
const path = (username: string) => `/users/${encodeURIComponent(username)}`;
let current: { username: string; realm: () => string; reload: () => Promise<void> } | null = null;

export async function openUser(username: string, realm: () => string, reload: () => Promise<void>): Promise<void> {
  current = { username, realm, reload };
  await show(username);
  panel().hidden = false;
  panel().focus();
}

async function show(username: string): Promise<void> {
  const [user, passkeys, wallets] = await Promise.all([
    adminCall<UserDetail>("GET", path(username)),
    adminCall<{ items: Passkey[] }>("GET", `${path(username)}/passkeys`),
    adminCall<{ items: WalletLink[] }>("GET", `${path(username)}/wallet-links`),
  ]);
  byId("user-detail-title").textContent = `User ${user.username}`;
  const facts = byId("user-facts");
  facts.replaceChildren();
  const fact = (term: string, value: string) => facts.append(el("dt", {}, term), el("dd", {}, value));
  fact("Subject", user.sub);
  fact("Status", user.disabled ? "Disabled" : "Active");
  fact("Password", user.has_password ? "Set" : "None");
  fact("Authenticator app", user.totp ? `On since ${when(user.totp.enrolled_at)}, ${user.totp.recovery_codes_left} recovery codes left` : "Off");
  fact("Created", when(user.created_at));
  byId<HTMLInputElement>("user-edit-name").value = user.name ?? "";
  byId<HTMLInputElement>("user-edit-email").value = user.email ?? "";
  byId<HTMLInputElement>("user-edit-verified").checked = user.email_verified;
  byId<HTMLSelectElement>("user-edit-role").value = user.role;
  byId<HTMLInputElement>("user-edit-groups").value = user.groups.join(", ");

  const refresh = async () => {
    await show(username);
    await current?.reload();
  };
  const act = (label: string, question: string | null, run: () => Promise<string>) => button(label, async () => {
    if (question && !(await confirmAction(question, label))) return;
    notify(await run());
    await refresh();
  });
  byId("user-actions").replaceChildren(
    user.disabled
      ? act("Enable", null, async () => (await adminCall("POST", `${path(username)}/enable`), `${username} can sign in again.`))
      : act("Disable", `Disable ${username}? They cannot sign in, and their refresh tokens are revoked.`, async () => (await adminCall("POST", `${path(username)}/disable`), `${username} is disabled.`)),
    act("Reset the authenticator app", `Reset ${username}'s authenticator app and recovery codes?`, async () => (await adminCall("DELETE", `${path(username)}/totp`), `${username}'s authenticator app was reset.`)),
    act("Email an invitation", null, async () => (await adminCall("POST", `${path(username)}/invitation`), `An invitation was mailed to ${username}.`)),
    button("Delete user", async () => {
      if (!(await confirmAction(`Delete ${username}? Their tokens are revoked. This cannot be undone.`, "Delete user"))) return;
      await adminCall("DELETE", path(username));
      notify(`${username} was deleted.`);
      panel().hidden = true;
      byId("user-search-username").focus(); // The panel and its button are gone: focus goes back to the list.
      await current?.reload();
    }, "danger small"),
  );
  byId("user-passkeys").replaceChildren(...(passkeys.items.length === 0 ? [el("li", { class: "status" }, "None.")] : passkeys.items.map((passkey) => el("li", {},
    el("strong", {}, passkey.label ?? "Passkey"), el("p", { class: "facts-line" }, `Added ${when(passkey.created_at)}, last used ${when(passkey.last_used_at)}`),
    act("Remove", `Remove the passkey "${passkey.label ?? passkey.credential_id}" of ${username}?`, async () => (await adminCall("DELETE", `${path(username)}/passkeys/${encodeURIComponent(passkey.credential_id)}`), "The passkey was removed.")),
  ))));
  byId("user-wallets").replaceChildren(...(wallets.items.length === 0 ? [el("li", { class: "status" }, "None.")] : wallets.items.map((link) => el("li", {},
    el("p", { class: "facts-line" }, `Linked ${when(link.created_at)}`),
    act("Unlink", `Unlink this EU Wallet from ${username}?`, async () => (await adminCall("DELETE", `${path(username)}/wallet-links/${encodeURIComponent(link.id)}`), "The wallet was unlinked.")),
  ))));
}

export function wireUserDetail(): void {
  onSubmit(byId<HTMLFormElement>("user-edit-form"), async (data) => {
    if (!current) return;
    const email = text(data, "email");
    await adminCall("PATCH", path(current.username), {
      name: text(data, "name") || null, email: email || null, email_verified: data.get("email_verified") === "on", role: text(data, "role"), groups: words(data.get("groups")),
    });
    notify(`${current.username} was saved.`);
    await show(current.username);
    await current.reload();
  });
  const passwordForm = byId<HTMLFormElement>("user-password-form");
  onSubmit(passwordForm, async (data) => {
    if (!current) return;
    const password = String(data.get("password") ?? "");
    if (password.length < 8) throw problem("The password needs at least 8 characters.", "ha1");
    await adminCall("PUT", `${path(current.username)}/password`, { ha1: computeHa1(current.username, current.realm(), password) });
    passwordForm.reset();
    notify(`${current.username}'s password was set; their single sign-on ended.`);
    await show(current.username);
  });
  byId("user-detail-close").addEventListener("click", () => {
    panel().hidden = true;
    current = null;
  });
}
