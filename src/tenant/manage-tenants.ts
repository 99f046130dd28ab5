import { DEFAULT_TENANT_MAIL, DuplicateError, type Store, type Tenant } from "../store/index.ts";
import { isValidHostName } from "../lib/host-name.ts";
import { nowSeconds } from "../lib/time.ts";

/** Input an operator (CLI or admin API) gave that cannot be applied: malformed, naming nothing, or clashing with what exists. */
export class TenantInputError extends Error {
  override name = "TenantInputError";
  constructor(
    message: string,
    readonly kind: "invalid" | "not_found" | "conflict" = "invalid",
    /** The input it concerns, in the admin API's words (e.g. `email`), where one does. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Adds a tenant for a host name (no port). The realm for HA1 defaults to the host name. */
export async function addTenant(store: Store, host: string, realm?: string, origin?: string): Promise<Tenant> {
  const name = host.toLowerCase();
  if (!isValidHostName(name)) throw new TenantInputError(`"${host}" is not a valid host name (letters, digits, hyphens and dots; no port)`);
  const tenantRealm = checkRealm(realm ?? name);
  const tenant: Tenant = { host: name, realm: tenantRealm, createdAt: nowSeconds(), mail: DEFAULT_TENANT_MAIL, origin: origin === undefined ? null : checkOrigin(name, origin), displayName: null, disabledMethods: [] };
  try {
    await store.tenants.add(tenant);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`tenant ${name} already exists`, "conflict");
    throw error;
  }
  return tenant;
}

/** HA1 is MD5(user:realm:password): a realm with a colon would make two different triples hash alike. */
export function checkRealm(realm: string): string {
  if (realm.length === 0 || realm.length > 253 || /[:\s"\\]/.test(realm)) throw new TenantInputError("the realm must be 1 to 253 characters without colon, quote, backslash or space", "invalid", "realm");
  return realm;
}

export async function requireTenant(store: Store, host: string): Promise<Tenant> {
  const tenant = isValidHostName(host.toLowerCase()) ? await store.tenants.get(host.toLowerCase()) : null;
  if (!tenant) throw new TenantInputError(`no tenant ${host} (add it with: sigil tenant add ${host})`, "not_found");
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
    throw new TenantInputError("--smtp-url must be a URL such as smtp://user:pass@mail.example:587", "invalid", "smtp_url");
  }
  if ((parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") || !parsed.hostname) {
    throw new TenantInputError("--smtp-url must start with smtp:// or smtps:// and name a host", "invalid", "smtp_url");
  }
}

export async function setTenantMail(store: Store, host: string, change: TenantMailChange): Promise<Tenant> {
  const tenant = await requireTenant(store, host);
  if (change.from && !/^[^\s@<>]+@[^\s@<>]+$/.test(change.from)) throw new TenantInputError("--smtp-from must be an email address", "invalid", "from");
  const mail = {
    sealedSmtpUrl: change.sealedSmtpUrl === undefined ? tenant.mail.sealedSmtpUrl : change.sealedSmtpUrl,
    from: change.from === undefined ? tenant.mail.from : change.from,
    emailMethods: change.emailMethods ?? tenant.mail.emailMethods,
  };
  await store.tenants.setMail(tenant.host, mail);
  return { ...tenant, mail };
}

/**
 * A tenant's canonical origin, where mailed links point: an https origin (http only for a
 * loopback or .localhost host) whose host is the tenant's own host name, with no path.
 */
export function checkOrigin(host: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TenantInputError("--origin must be an origin such as https://login.acme.example", "invalid", "origin");
  }
  const local = url.hostname === "localhost" || url.hostname.endsWith(".localhost") || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) throw new TenantInputError("--origin must use https (http only for localhost)", "invalid", "origin");
  if (url.hostname !== host) throw new TenantInputError(`--origin must name the tenant's own host, ${host}`, "invalid", "origin");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) throw new TenantInputError("--origin is scheme, host and port only", "invalid", "origin");
  return url.origin;
}

/** Sets (or, with null, clears) the origin mailed links of the tenant point at. */
export async function setTenantOrigin(store: Store, host: string, origin: string | null): Promise<Tenant> {
  const tenant = await requireTenant(store, host);
  const checked = origin === null ? null : checkOrigin(tenant.host, origin);
  await store.tenants.setOrigin(tenant.host, checked);
  return { ...tenant, origin: checked };
}
