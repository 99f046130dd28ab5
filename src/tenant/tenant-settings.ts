import { SWITCHABLE_METHODS, type Store, type SwitchableMethod, type Tenant } from "../store/index.ts";
import { checkRealm, requireTenant, TenantInputError } from "./manage-tenants.ts";

export interface TenantSettingsChange {
  realm?: string;
  /** null clears it: people see the host name. */
  displayName?: string | null;
}

/**
 * Changes a tenant's realm and display name. The realm only while the tenant has no user: every
 * HA1 is MD5(user:realm:password), so changing it under existing users would lock every password
 * out (the store refuses it in the same statement that would change it).
 */
export async function setTenantSettings(store: Store, host: string, change: TenantSettingsChange): Promise<Tenant> {
  const tenant = await requireTenant(store, host);
  if (change.displayName !== undefined && change.displayName !== null && (change.displayName.length > 100 || /[\u0000-\u001f<>]/.test(change.displayName))) {
    throw new TenantInputError("a display name is at most 100 characters, on one line, without < or >", "invalid", "display_name");
  }
  if (change.realm !== undefined && change.realm !== tenant.realm) {
    if (!(await store.tenants.setRealmWhileNoUsers(tenant.host, checkRealm(change.realm)))) {
      throw new TenantInputError("the realm is fixed once the tenant has users: their password digests depend on it", "conflict", "realm");
    }
  }
  if (change.displayName !== undefined) await store.tenants.setDisplayName(tenant.host, change.displayName || null);
  return requireTenant(store, host);
}

/** What to turn on (true) or off (false); methods not named keep their setting. */
export type SignInMethodsChange = Partial<Record<SwitchableMethod, boolean>>;

/**
 * Turns sign-in methods of the page on or off for a tenant. One of password, passkey and wallet
 * always stays on, so that no switch leaves a tenant nobody can sign in to (email methods depend on
 * a mail server, and single sign-on on an earlier sign-in).
 */
export async function setSignInMethods(store: Store, host: string, change: SignInMethodsChange): Promise<Tenant> {
  const tenant = await requireTenant(store, host);
  const disabled = SWITCHABLE_METHODS.filter((method) => (change[method] === undefined ? tenant.disabledMethods.includes(method) : !change[method]));
  if (disabled.length === SWITCHABLE_METHODS.length) {
    throw new TenantInputError("one of password, passkey and eu-wallet must stay on, or nobody could sign in", "conflict", "sign_in_methods");
  }
  await store.tenants.setDisabledMethods(tenant.host, disabled);
  return requireTenant(store, host);
}
