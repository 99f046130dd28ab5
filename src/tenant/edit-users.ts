import { ROLES, type Role, type Store, type User, type UserPatch } from "../store/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { requireTenant, TenantInputError } from "./manage-tenants.ts";
import { checkEmail, checkGroups } from "./manage-users.ts";

/** What an operator may change of a user's profile; absent fields stay as they are. */
export interface UserChange {
  name?: string | null;
  email?: string | null;
  /** Whether the user controls `email`, on an admin's word; a new address without it is unverified. */
  emailVerified?: boolean;
  role?: Role;
  groups?: string[];
}

export async function requireUser(store: Store, host: string, username: string): Promise<User> {
  const tenant = await requireTenant(store, host);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
  return user;
}

/**
 * Changes a user's name, address, role or groups. A changed address is unverified unless the
 * change says otherwise, since whoever vouched for the old one did not vouch for the new.
 */
export async function updateUser(store: Store, host: string, username: string, change: UserChange): Promise<User> {
  const user = await requireUser(store, host, username);
  const patch: UserPatch = {};
  if (change.name !== undefined) {
    if (change.name !== null && (change.name.length > 200 || /[\u0000-\u001f]/.test(change.name))) throw new TenantInputError("a name is at most 200 characters, on one line", "invalid", "name");
    patch.name = change.name || null;
  }
  if (change.email !== undefined) {
    patch.email = change.email ? checkEmail(change.email) : null;
    if (patch.email !== user.email) patch.emailVerified = false;
  }
  if (change.emailVerified !== undefined) {
    if (change.emailVerified && !(patch.email !== undefined ? patch.email : user.email)) throw new TenantInputError("email_verified needs an email", "invalid", "email_verified");
    patch.emailVerified = change.emailVerified;
  }
  if (change.role !== undefined) {
    if (!ROLES.includes(change.role)) throw new TenantInputError(`role must be one of ${ROLES.join(", ")}`, "invalid", "role");
    patch.role = change.role;
  }
  if (change.groups !== undefined) patch.groups = checkGroups(change.groups);
  await store.users.update(user.tenant, user.username, patch, nowSeconds());
  return (await store.users.findByUsername(user.tenant, user.username)) ?? user;
}

/** Lets a disabled user sign in again; their old refresh tokens stay revoked. */
export async function enableUser(store: Store, host: string, username: string): Promise<void> {
  const user = await requireUser(store, host, username);
  await store.users.update(user.tenant, user.username, { disabled: false }, nowSeconds());
}
