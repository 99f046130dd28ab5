import { DuplicateError, ROLES, type Role, type Store, type User } from "../store/index.ts";
import { ALL_ZEROS_HA1, computeHa1, isUsableHa1 } from "../lib/ha1.ts";
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import { requireTenant, TenantInputError } from "./manage-tenants.ts";

export interface NewUser {
  username: string;
  /** Either a plaintext password (hashed here, never stored) or a ready HA1. */
  password?: string;
  ha1?: string;
  /** No password at all: the user signs in with a passkey, an email link or a wallet. */
  noPassword?: boolean;
  role?: Role;
  email?: string | null;
  name?: string | null;
  groups?: string[];
}

const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const GROUP = /^[A-Za-z0-9._:@+-]{1,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** Refuses a username that is malformed or already taken in the tenant, before anything is spent on it. */
export async function checkNewUsername(store: Store, tenant: string, username: string): Promise<void> {
  if (!USERNAME.test(username)) throw new TenantInputError("usernames are 1 to 128 letters, digits or . _ @ + -");
  if (await store.users.findByUsername(tenant, username)) throw new TenantInputError(`user ${username} already exists in ${tenant}`);
}

/** Adds a user to a tenant, storing only HA1 = MD5(user:realm:password). */
export async function addUser(store: Store, host: string, input: NewUser): Promise<User> {
  const tenant = await requireTenant(store, host);
  if (!USERNAME.test(input.username)) throw new TenantInputError("usernames are 1 to 128 letters, digits or . _ @ + -");
  if (input.noPassword && (input.password !== undefined || input.ha1 !== undefined)) throw new TenantInputError("give a password, an HA1 or no password, not two");
  // The all-zeros HA1 is the stored mark of "no password": no browser can produce it and verifyPassword refuses it.
  const ha1 = input.noPassword ? ALL_ZEROS_HA1 : resolveHa1(input, tenant.realm);
  const role = input.role ?? "user";
  if (!ROLES.includes(role)) throw new TenantInputError(`role must be one of ${ROLES.join(", ")}`);
  if (input.email && !EMAIL.test(input.email)) throw new TenantInputError("that is not an email address");
  const groups = input.groups ?? [];
  for (const group of groups) if (!GROUP.test(group)) throw new TenantInputError(`"${group}" is not a valid group name`);
  const now = nowSeconds();
  const user: User = {
    tenant: tenant.host, sub: randomId(16), username: input.username, ha1, role,
    email: input.email ?? null, name: input.name ?? null, groups, disabled: false, createdAt: now, updatedAt: now,
  };
  try {
    await store.users.add(user);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`user ${input.username} already exists in ${tenant.host}`);
    throw error;
  }
  return user;
}

/** Sets (or, with noPassword, removes) a user's password; a user without one signs in by passkey, email link or wallet. */
export async function setUserPassword(store: Store, host: string, username: string, secret: { password?: string; ha1?: string; noPassword?: boolean }): Promise<void> {
  const tenant = await requireTenant(store, host);
  const ha1 = secret.noPassword ? ALL_ZEROS_HA1 : resolveHa1({ username, ...secret }, tenant.realm);
  if (!(await store.users.update(tenant.host, username, { ha1 }, nowSeconds()))) throw new TenantInputError(`no user ${username} in ${tenant.host}`);
}

export async function disableUser(store: Store, host: string, username: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  if (!(await store.users.update(tenant.host, username, { disabled: true }, nowSeconds()))) throw new TenantInputError(`no user ${username} in ${tenant.host}`);
  // A disabled user's refresh tokens must stop working at once.
  const user = await store.users.findByUsername(tenant.host, username);
  if (user) await store.grants.revokeGrantsOfUser(tenant.host, user.sub, nowSeconds());
}

export async function removeUser(store: Store, host: string, username: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`);
  await store.grants.revokeGrantsOfUser(tenant.host, user.sub, nowSeconds());
  await store.users.remove(tenant.host, username);
}

function resolveHa1(input: { username: string; password?: string; ha1?: string }, realm: string): string {
  if (input.password !== undefined && input.ha1 !== undefined) throw new TenantInputError("give a password or an HA1, not both");
  if (input.password !== undefined) {
    if (input.password.length === 0) throw new TenantInputError("the password is empty");
    return computeHa1(input.username, realm, input.password);
  }
  if (input.ha1 !== undefined) {
    const ha1 = input.ha1.toLowerCase();
    if (!isUsableHa1(ha1)) throw new TenantInputError("an HA1 is 32 hexadecimal digits (and not all zeros)");
    return ha1;
  }
  throw new TenantInputError("a password (--password-stdin) or --ha1 is required");
}

/** Clears a user's authenticator app and recovery codes (they lost the phone); false if none was set up. */
export async function resetUserTotp(store: Store, host: string, username: string): Promise<{ sub: string; hadTotp: boolean }> {
  const tenant = await requireTenant(store, host);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`);
  return { sub: user.sub, hadTotp: await store.secondFactors.removeTotp(tenant.host, user.sub) };
}
