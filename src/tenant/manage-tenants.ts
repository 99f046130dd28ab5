import { DuplicateError, type Store, type Tenant } from "../store/index.ts";
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
  const tenant: Tenant = { host: name, realm: tenantRealm, createdAt: nowSeconds() };
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
