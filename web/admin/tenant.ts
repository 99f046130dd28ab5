// The tenant: display name, the origin mailed links point at, the realm (only while the tenant has
// no users: every stored HA1 depends on it), and mail (the SMTP URL may hold a password: it is
// write-only, never shown).
import { adminCall } from "../lib/admin-api.ts";
import { notify, onSubmit, text } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";

export interface TenantJson {
  host: string;
  realm: string;
  realm_locked: boolean;
  display_name: string | null;
  origin: string | null;
  mail: { smtp: "own" | "global" | "none"; from: string | null; email_methods: "auto" | "off" };
}

const SMTP = { own: "This tenant has its own SMTP server.", global: "This tenant uses the server-wide SMTP server.", none: "No SMTP server: mail is written to the outbox." };

export function showTenant(tenant: TenantJson): void {
  byId<HTMLInputElement>("tenant-display-name").value = tenant.display_name ?? "";
  byId<HTMLInputElement>("tenant-origin").value = tenant.origin ?? "";
  const realm = byId<HTMLInputElement>("tenant-realm");
  realm.value = tenant.realm;
  realm.readOnly = tenant.realm_locked;
  byId("tenant-realm-hint").textContent = tenant.realm_locked
    ? "Fixed: the tenant has users, and every password digest depends on the realm."
    : "Part of every password digest; it can change only while the tenant has no users.";
  byId("mail-status").textContent = SMTP[tenant.mail.smtp];
  byId<HTMLInputElement>("mail-from").value = tenant.mail.from ?? "";
  byId<HTMLSelectElement>("mail-methods").value = tenant.mail.email_methods;
}

export function wireTenant(onChange: (tenant: TenantJson) => void): void {
  onSubmit(byId<HTMLFormElement>("tenant-form"), async (data) => {
    const current = await adminCall<TenantJson>("GET", "/tenant");
    const realm = text(data, "realm");
    const tenant = await adminCall<TenantJson>("PATCH", "/tenant", {
      display_name: text(data, "display_name") || null, origin: text(data, "origin") || null, ...(realm !== current.realm ? { realm } : {}),
    });
    onChange(tenant);
    notify("The tenant settings were saved.");
  });
  const mailForm = byId<HTMLFormElement>("mail-form");
  onSubmit(mailForm, async (data) => {
    const smtp = text(data, "smtp_url");
    await adminCall("PATCH", "/tenant/mail", {
      ...(data.get("use_global") === "on" ? { smtp_url: null } : smtp ? { smtp_url: smtp } : {}), from: text(data, "from") || null, email_methods: text(data, "email_methods"),
    });
    mailForm.reset();
    onChange(await adminCall<TenantJson>("GET", "/tenant"));
    notify("The mail settings were saved.");
  });
}
