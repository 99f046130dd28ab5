// The admin API's users: list, read, create, edit, disable and enable, delete, set a password.
// Every rule of what a user may be lives in tenant/ (shared with `sigil user`); this file maps
// JSON to those calls, keeps the tenant from losing its last admin, and audits each change.
import type { RequestContext, Services } from "../context/index.ts";
import type { Params } from "../lib/params.ts";
import { hasPassword, type Role, type User } from "../store/index.ts";
import { addUser, disableUser, enableUser, removeUser, requireUser, setUserPassword, updateUser, type UserChange } from "../tenant/index.ts";
import { AdminError, invalidInput } from "./admin-error.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { sendInvitation } from "./invite-user.ts";
import { recordAdminChange } from "./record-change.ts";
import { isoTime, json, noContent, pageJson, readPage } from "./respond.ts";

export const userJson = (user: User) => ({
  sub: user.sub, username: user.username, name: user.name, email: user.email, email_verified: user.emailVerified, role: user.role, groups: user.groups,
  disabled: user.disabled, has_password: hasPassword(user), created_at: isoTime(user.createdAt), updated_at: isoTime(user.updatedAt),
});

export async function listUsers(services: Services, context: RequestContext, query: Params): Promise<Response> {
  const page = readPage(query);
  const disabled = query.get("disabled");
  const { users, total } = await services.store.users.search(context.tenant.host, {
    username: query.get("username"), email: query.get("email"), role: query.get("role") as Role | undefined,
    disabled: disabled === undefined ? undefined : disabled === "true", ...page,
  });
  return pageJson(users.map(userJson), page, total, page.offset + users.length < total);
}

export async function getUser(services: Services, context: RequestContext, username: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  const tenant = context.tenant.host;
  const totp = await services.store.secondFactors.totp(tenant, user.sub);
  return json({
    ...userJson(user),
    totp: totp?.sealedSecret ? { enrolled_at: isoTime(totp.enrolledAt), recovery_codes_left: await services.store.secondFactors.countRecoveryCodes(tenant, user.sub) } : null,
    passkeys: (await services.store.passkeys.listOfUser(tenant, user.sub)).length,
    wallet_links: await services.store.walletLinks.countOfUser(tenant, user.sub),
  });
}

export interface NewUserBody {
  username: string;
  /** HA1 = MD5(username:realm:password), computed by the admin's browser or tool: the password never reaches Sigil. */
  ha1?: string;
  /** Mail the user a link to choose their own password (needs `email`). */
  invite?: boolean;
  role?: Role;
  email?: string | null;
  email_verified?: boolean;
  name?: string | null;
  groups?: string[];
}

export async function createUser(services: Services, context: RequestContext, admin: AdminPrincipal, body: NewUserBody): Promise<Response> {
  if (body.invite && body.ha1 !== undefined) throw invalidInput("invite", "Give an ha1 or invite the user to choose a password, not both.");
  if (body.invite && !body.email) throw invalidInput("email", "An invitation is mailed: give the user's email.");
  const user = await addUser(services.store, context.tenant.host, {
    username: body.username, ...(body.ha1 !== undefined ? { ha1: body.ha1 } : { noPassword: true }), role: body.role ?? "user",
    email: body.email ?? null, emailVerified: body.email_verified ?? false, name: body.name ?? null, groups: body.groups ?? [],
  }, services.keyring);
  await recordAdminChange(services, context, admin, "user.add", { username: user.username, sub: user.sub, role: user.role, has_password: body.ha1 !== undefined, invited: Boolean(body.invite) });
  const invitation = body.invite ? await sendInvitation(services, context, admin, user) : null;
  return json({ ...userJson(user), ...(invitation ? { invitation } : {}) }, 201);
}

export type UserPatchBody = { name?: string | null; email?: string | null; email_verified?: boolean; role?: Role; groups?: string[] };

export async function patchUser(services: Services, context: RequestContext, admin: AdminPrincipal, username: string, body: UserPatchBody): Promise<Response> {
  const before = await requireUser(services.store, context.tenant.host, username);
  if (body.role !== undefined && body.role !== "admin") await keepAnAdmin(services, before, "demote");
  const change: UserChange = {
    ...(body.name !== undefined ? { name: body.name } : {}), ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.email_verified !== undefined ? { emailVerified: body.email_verified } : {}), ...(body.role !== undefined ? { role: body.role } : {}),
    ...(body.groups !== undefined ? { groups: body.groups } : {}),
  };
  const user = await updateUser(services.store, context.tenant.host, username, change);
  await recordAdminChange(services, context, admin, "user.update", { username: user.username, sub: user.sub, changed: Object.keys(body).sort(), ...changedValues(before, user) });
  return json(userJson(user));
}

/** The values an audit line may show: profile fields, never credentials. */
function changedValues(before: User, after: User): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (before.role !== after.role) fields.role = after.role;
  if (before.groups.join(",") !== after.groups.join(",")) fields.groups = after.groups;
  if (before.email !== after.email) fields.email = after.email;
  if (before.emailVerified !== after.emailVerified) fields.email_verified = after.emailVerified;
  return fields;
}

export async function setUserDisabled(services: Services, context: RequestContext, admin: AdminPrincipal, username: string, disabled: boolean): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  if (disabled) {
    await keepAnAdmin(services, user, "disable");
    await disableUser(services.store, context.tenant.host, username);
  } else {
    await enableUser(services.store, context.tenant.host, username);
  }
  await recordAdminChange(services, context, admin, disabled ? "user.disable" : "user.enable", { username, sub: user.sub });
  return json(userJson(await requireUser(services.store, context.tenant.host, username)));
}

export async function deleteUser(services: Services, context: RequestContext, admin: AdminPrincipal, username: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  await keepAnAdmin(services, user, "delete");
  await removeUser(services.store, context.tenant.host, username);
  await recordAdminChange(services, context, admin, "user.remove", { username, sub: user.sub });
  return noContent();
}

/** Sets the password (as its HA1) or, with null, removes it: the user then signs in by passkey, email link or wallet. */
export async function setPassword(services: Services, context: RequestContext, admin: AdminPrincipal, username: string, body: { ha1: string | null }): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  await setUserPassword(services.store, context.tenant.host, username, body.ha1 === null ? { noPassword: true } : { ha1: body.ha1 }, services.keyring);
  await recordAdminChange(services, context, admin, "user.set-password", { username, sub: user.sub, no_password: body.ha1 === null });
  return noContent();
}

/**
 * The console is the only way into the admin API for people: taking the last enabled admin's
 * role, account or access would lock everyone out but the host's operator. The CLI may (it is
 * the operator's way back in: with no admin left, serve offers the first-admin set-up again).
 */
async function keepAnAdmin(services: Services, user: User, what: string): Promise<void> {
  if (user.role !== "admin" || user.disabled) return;
  if ((await services.store.users.countByRole(user.tenant, "admin")) <= 1) {
    throw new AdminError("conflict", `Cannot ${what} the last enabled admin of the tenant.`, 409, "username");
  }
}
