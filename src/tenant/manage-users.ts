import { DuplicateError, ROLES, type Role, type Store, type User } from "../store/index.ts";
import { computeHa1, isUsableHa1 } from "../lib/ha1.ts";
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
  /** Only with an email: an admin vouches that the user controls it. */
  emailVerified?: boolean;
  name?: string | null;
  groups?: string[];
}

/**
 * What seals an HA1 for the store (keys/ Keyring, which satisfies this as it is): tenant/ may
 * not import keys/, so the caller hands it in. Bound to tenant and sub, a sealed HA1 opens on its own row only.
 */
export interface Ha1Sealer {
  sealHa1(tenant: string, sub: string, ha1: string): Promise<string>;
}

const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const GROUP = /^[A-Za-z0-9._:@+-]{1,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** An address as the store keeps it: one @, no spaces, within RFC 5321's lengths. */
export function checkEmail(email: string): string {
  if (!EMAIL.test(email)) throw new TenantInputError("that is not an email address", "invalid", "email");
  return email;
}

/** Custom groups, released to relying parties in `groups`: distinct, each a short name without spaces. */
export function checkGroups(groups: readonly string[]): string[] {
  if (groups.length > 100) throw new TenantInputError("a user has at most 100 groups", "invalid", "groups");
  for (const group of groups) if (!GROUP.test(group)) throw new TenantInputError(`"${group}" is not a valid group name`, "invalid", "groups");
  return [...new Set(groups)];
}

/** Refuses a username that is malformed or already taken in the tenant, before anything is spent on it. */
export async function checkNewUsername(store: Store, tenant: string, username: string): Promise<void> {
  if (!USERNAME.test(username)) throw new TenantInputError("usernames are 1 to 128 letters, digits or . _ @ + -", "invalid", "username");
  if (await store.users.findByUsername(tenant, username)) throw new TenantInputError(`user ${username} already exists in ${tenant}`, "conflict", "username");
}

/**
 * Adds a user to a tenant, storing only HA1 = MD5(user:realm:password), sealed. `sealer` may be
 * left out for a user with no password (a wallet sign-up), who has nothing to seal.
 */
export async function addUser(store: Store, host: string, input: NewUser, sealer?: Ha1Sealer): Promise<User> {
  const tenant = await requireTenant(store, host);
  if (!USERNAME.test(input.username)) throw new TenantInputError("usernames are 1 to 128 letters, digits or . _ @ + -", "invalid", "username");
  if (input.noPassword && (input.password !== undefined || input.ha1 !== undefined)) throw new TenantInputError("give a password, an HA1 or no password, not two");
  const ha1 = input.noPassword ? null : resolveHa1(input, tenant.realm);
  const role = input.role ?? "user";
  if (!ROLES.includes(role)) throw new TenantInputError(`role must be one of ${ROLES.join(", ")}`, "invalid", "role");
  if (input.email) checkEmail(input.email);
  if (input.emailVerified && !input.email) throw new TenantInputError("email_verified needs an email", "invalid", "email_verified");
  const groups = checkGroups(input.groups ?? []);
  const now = nowSeconds();
  const sub = randomId(16);
  const user: User = {
    tenant: tenant.host, sub, username: input.username, sealedHa1: ha1 === null ? null : await sealWith(sealer).sealHa1(tenant.host, sub, ha1), role,
    email: input.email ?? null, emailVerified: Boolean(input.email) && (input.emailVerified ?? false), name: input.name ?? null, groups, disabled: false, createdAt: now, updatedAt: now, sessionEpoch: 0,
  };
  try {
    await store.users.add(user);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`user ${input.username} already exists in ${tenant.host}`, "conflict", "username");
    throw error;
  }
  return user;
}

/** Sets (or, with noPassword, removes) a user's password; a user without one signs in by passkey, email link or wallet. */
export async function setUserPassword(
  store: Store, host: string, username: string, secret: { password?: string; ha1?: string; noPassword?: boolean }, sealer?: Ha1Sealer,
): Promise<void> {
  const tenant = await requireTenant(store, host);
  const ha1 = secret.noPassword ? null : resolveHa1({ username, ...secret }, tenant.realm);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
  const sealedHa1 = ha1 === null ? null : await sealWith(sealer).sealHa1(tenant.host, user.sub, ha1);
  if (!(await store.users.update(tenant.host, username, { sealedHa1 }, nowSeconds()))) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
  // A browser signed in with the old password stays signed in no longer.
  await store.users.raiseSessionEpoch(tenant.host, user.sub);
}

function sealWith(sealer: Ha1Sealer | undefined): Ha1Sealer {
  // A programming error, not bad input: no password may ever reach the store unsealed.
  if (!sealer) throw new Error("a password was given but no sealer to store it with");
  return sealer;
}

export async function disableUser(store: Store, host: string, username: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  if (!(await store.users.update(tenant.host, username, { disabled: true }, nowSeconds()))) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
  // A disabled user's refresh tokens must stop working at once.
  const user = await store.users.findByUsername(tenant.host, username);
  if (user) await store.grants.revokeGrantsOfUser(tenant.host, user.sub, nowSeconds());
}

export async function removeUser(store: Store, host: string, username: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
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
    if (!isUsableHa1(ha1)) throw new TenantInputError("an HA1 is 32 hexadecimal digits (and not all zeros)", "invalid", "ha1");
    return ha1;
  }
  throw new TenantInputError("a password (--password-stdin) or --ha1 is required");
}

/** Clears a user's authenticator app and recovery codes (they lost the phone); false if none was set up. */
export async function resetUserTotp(store: Store, host: string, username: string): Promise<{ sub: string; hadTotp: boolean }> {
  const tenant = await requireTenant(store, host);
  const user = await store.users.findByUsername(tenant.host, username);
  if (!user) throw new TenantInputError(`no user ${username} in ${tenant.host}`, "not_found", "username");
  const hadTotp = await store.secondFactors.removeTotp(tenant.host, user.sub);
  await store.users.raiseSessionEpoch(tenant.host, user.sub);
  return { sub: user.sub, hadTotp };
}
