import { DEFAULT_TENANT_MAIL, DuplicateError, type Store, type Tenant } from "../store/index.ts";
import { isValidHostName } from "../lib/host-name.ts";
import { nowSeconds } from "../lib/time.ts";

export class TenantInputError extends Error {
  override name = "TenantInputError";
}

/** Adds a tenant for a host name (no port). The realm for HA1 defaults to the host name. */
export async function addTenant(store: Store, host: string, realm?: string): Promise<Tenant> {
  const name = host.toLowerCase();
  if (!isValidHostName(name)) throw new TenantInputError(`"${host}" is not a valid host name (letters, digits, hyphens and dots; no port)`);
  const tenantRealm = realm ?? name;
  if (tenantRealm.length === 0 || tenantRealm.length > 253 || /[:\s"\\]/.test(tenantRealm)) throw new TenantInputError("the realm must be 1 to 253 characters without colon, quote, backslash or space");
  const tenant: Tenant = { host: name, realm: tenantRealm, createdAt: nowSeconds(), mail: DEFAULT_TENANT_MAIL };
  try {
    await store.tenants.add(tenant);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`tenant ${name} already exists`);
    throw error;
  }
  return tenant;
}

export async function requireTenant(store: Store, host: string): Promise<Tenant> {
  const tenant = isValidHostName(host.toLowerCase()) ? await store.tenants.get(host.toLowerCase()) : null;
  if (!tenant) throw new TenantInputError(`no tenant ${host} (add it with: sigil tenant add ${host})`);
  return tenant;
}

/** The binding a tenant's sealed SMTP URL is opened under. */
export const smtpBinding = (host: string) => `smtp/${host}`;

export interface TenantMailChange {
  /** A new SMTP URL (smtp:// or smtps://), already sealed by the caller with smtpBinding; null clears it; undefined keeps it. */
  sealedSmtpUrl?: string | null;
  from?: string | null;
  emailMethods?: "auto" | "off";
}

/** Checks an SMTP URL before it is sealed: smtp:// or smtps:// with a host. */
export function checkSmtpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TenantInputError("--smtp-url must be a URL such as smtp://user:pass@mail.example:587");
  }
  if ((parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") || !parsed.hostname) {
    throw new TenantInputError("--smtp-url must start with smtp:// or smtps:// and name a host");
  }
}

export async function setTenantMail(store: Store, host: string, change: TenantMailChange): Promise<Tenant> {
  const tenant = await requireTenant(store, host);
  if (change.from && !/^[^\s@<>]+@[^\s@<>]+$/.test(change.from)) throw new TenantInputError("--smtp-from must be an email address");
  const mail = {
    sealedSmtpUrl: change.sealedSmtpUrl === undefined ? tenant.mail.sealedSmtpUrl : change.sealedSmtpUrl,
    from: change.from === undefined ? tenant.mail.from : change.from,
    emailMethods: change.emailMethods ?? tenant.mail.emailMethods,
  };
  await store.tenants.setMail(tenant.host, mail);
  return { ...tenant, mail };
}
