import { addTenant, checkSmtpUrl, setSignInMethods, setTenantMail, setTenantOrigin, smtpBinding, type SignInMethodsChange, type TenantMailChange } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData, openKeyring } from "./open-data.ts";

const USAGE =
  "usage: sigil tenant add HOST [--realm REALM] [--origin URL] | tenant list | tenant origin HOST URL|--clear | tenant mail HOST [--smtp-url URL | --no-smtp] [--smtp-from ADDR] [--email-methods auto|off] | tenant methods HOST [--password on|off] [--passkey on|off] [--wallet on|off]";

/** sigil tenant add HOST [--realm REALM] | sigil tenant list | sigil tenant mail HOST ... */
export async function tenantCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "add") {
    const { values, positionals } = parseCommand(args, { realm: { type: "string" }, origin: { type: "string" } }, ["HOST"]);
    const { config, store } = openData(values);
    const tenant = await addTenant(store, positionals[0]!, values.realm, values.origin);
    await auditAdminChange(config, tenant.host, "tenant.add", { realm: tenant.realm, origin: tenant.origin });
    console.log(`tenant ${tenant.host} added (realm ${tenant.realm}${tenant.origin ? `, mailed links to ${tenant.origin}` : ""})`);
    return;
  }
  if (sub === "origin") return tenantOrigin(args);
  if (sub === "list") {
    const { values } = parseCommand(args, {}, []);
    const { store } = openData(values);
    for (const tenant of await store.tenants.list()) console.log(`${tenant.host}\trealm=${tenant.realm}${tenant.origin ? `\torigin=${tenant.origin}` : ""}`);
    return;
  }
  if (sub === "mail") return tenantMail(args);
  if (sub === "methods") return tenantMethods(args);
  throw new CliError(USAGE);
}

/** Which sign-in methods the page offers (and the sign-in API accepts); without flags, says which. */
async function tenantMethods(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(args, { password: { type: "string" }, passkey: { type: "string" }, wallet: { type: "string" } }, ["HOST"]);
  const change: SignInMethodsChange = {};
  for (const [flag, method] of [["password", "password"], ["passkey", "passkey"], ["wallet", "eu-wallet"]] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    if (value !== "on" && value !== "off") throw new CliError(`--${flag} must be on or off`);
    change[method] = value === "on";
  }
  const { config, store } = openData(values);
  const tenant = await setSignInMethods(store, positionals[0]!.toLowerCase(), change);
  if (Object.keys(change).length > 0) await auditAdminChange(config, tenant.host, "tenant.methods", { disabled_methods: tenant.disabledMethods });
  const offered = ["password", "passkey", "eu-wallet"].filter((method) => !tenant.disabledMethods.includes(method as "password"));
  console.log(`tenant ${tenant.host}: sign-in methods offered: ${offered.join(", ")}${tenant.disabledMethods.length > 0 ? `; turned off: ${tenant.disabledMethods.join(", ")}` : ""}`);
}

/** A tenant's own mail server, From address, and whether email sign-in methods are offered. */
async function tenantMail(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(args, {
    "smtp-url": { type: "string" }, "no-smtp": { type: "boolean" }, "smtp-from": { type: "string" }, "email-methods": { type: "string" },
  }, ["HOST"]);
  if (values["smtp-url"] !== undefined && values["no-smtp"]) throw new CliError("give --smtp-url or --no-smtp, not both");
  const methods = values["email-methods"];
  if (methods !== undefined && methods !== "auto" && methods !== "off") throw new CliError("--email-methods must be auto or off");
  const host = positionals[0]!.toLowerCase();
  const { config, store } = openData(values);
  const change: TenantMailChange = {};
  if (values["smtp-url"] !== undefined) {
    checkSmtpUrl(values["smtp-url"]);
    // The URL may carry the SMTP password: it is sealed like every other secret at rest.
    change.sealedSmtpUrl = await (await openKeyring(config, store)).sealSecret(smtpBinding(host), values["smtp-url"]);
  }
  if (values["no-smtp"]) change.sealedSmtpUrl = null;
  if (values["smtp-from"] !== undefined) change.from = values["smtp-from"] || null;
  if (methods !== undefined) change.emailMethods = methods;
  const tenant = await setTenantMail(store, host, change);
  const server = values["smtp-url"] !== undefined ? new URL(values["smtp-url"]).host : tenant.mail.sealedSmtpUrl ? "its own" : "the global one, if any";
  if (Object.keys(change).length > 0) {
    await auditAdminChange(config, tenant.host, "tenant.mail", {
      smtp: change.sealedSmtpUrl === undefined ? "unchanged" : change.sealedSmtpUrl === null ? "global" : "own", from: tenant.mail.from, email_methods: tenant.mail.emailMethods,
    });
  }
  console.log(`tenant ${tenant.host}: SMTP server ${server}; From ${tenant.mail.from ?? "the global --smtp-from"}; email sign-in methods ${tenant.mail.emailMethods}`);
}

/** Where the tenant's mailed links (recovery, sign-in) point: never the Host of the request that asked for them. */
async function tenantOrigin(args: string[]): Promise<void> {
  const clear = args.includes("--clear");
  const { values, positionals } = parseCommand(args, { clear: { type: "boolean" } }, clear ? ["HOST"] : ["HOST", "URL"]);
  const { config, store } = openData(values);
  const tenant = await setTenantOrigin(store, positionals[0]!, clear ? null : positionals[1]!);
  await auditAdminChange(config, tenant.host, "tenant.origin", { origin: tenant.origin });
  console.log(tenant.origin ? `tenant ${tenant.host}: mailed links point at ${tenant.origin}` : `tenant ${tenant.host}: mailed links point at https://${tenant.host} (or http on this port for a local name)`);
}
