// What a user signs in with, as an admin sees it: the authenticator app (reset when the phone is
// lost), passkeys and wallet links (listed and removed), and a new invitation to choose a password.
// Removing any of them ends the user's single sign-on, as a change of credentials does.
import type { RequestContext, Services } from "../context/index.ts";
import { requireUser, resetUserTotp } from "../tenant/index.ts";
import { AdminError } from "./admin-error.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { sendInvitation } from "./invite-user.ts";
import { recordAdminChange } from "./record-change.ts";
import { isoTime, json, noContent } from "./respond.ts";

export async function resetTotp(services: Services, context: RequestContext, admin: AdminPrincipal, username: string): Promise<Response> {
  const { sub, hadTotp } = await resetUserTotp(services.store, context.tenant.host, username);
  await recordAdminChange(services, context, admin, "user.reset-totp", { username, sub, had_totp: hadTotp });
  return json({ had_totp: hadTotp });
}

export async function listUserPasskeys(services: Services, context: RequestContext, username: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  const passkeys = await services.store.passkeys.listOfUser(user.tenant, user.sub);
  return json({
    items: passkeys.map((passkey) => ({
      credential_id: passkey.credentialId, label: passkey.label, aaguid: passkey.aaguid, backed_up: passkey.backedUp,
      created_at: isoTime(passkey.createdAt), last_used_at: isoTime(passkey.lastUsedAt),
    })),
  });
}

export async function removeUserPasskey(services: Services, context: RequestContext, admin: AdminPrincipal, username: string, credentialId: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  if (!(await services.store.passkeys.remove(user.tenant, user.sub, credentialId))) throw new AdminError("not_found", `${username} has no such passkey.`, 404, "credential_id");
  await services.store.users.raiseSessionEpoch(user.tenant, user.sub);
  await recordAdminChange(services, context, admin, "user.remove-passkey", { username, sub: user.sub, credential_id: credentialId });
  return noContent();
}

export async function listUserWalletLinks(services: Services, context: RequestContext, username: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  const links = await services.store.walletLinks.listOfUser(user.tenant, user.sub);
  return json({ items: links.map((link) => ({ id: link.linkKey, created_at: isoTime(link.createdAt) })) });
}

export async function removeUserWalletLink(services: Services, context: RequestContext, admin: AdminPrincipal, username: string, id: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  if (!(await services.store.walletLinks.remove(user.tenant, user.sub, id))) throw new AdminError("not_found", `${username} has no such wallet link.`, 404, "id");
  await services.store.users.raiseSessionEpoch(user.tenant, user.sub);
  await recordAdminChange(services, context, admin, "user.remove-wallet-link", { username, sub: user.sub, link_id: id });
  return noContent();
}

export async function inviteAgain(services: Services, context: RequestContext, admin: AdminPrincipal, username: string): Promise<Response> {
  const user = await requireUser(services.store, context.tenant.host, username);
  if (user.disabled) throw new AdminError("conflict", `${username} is disabled.`, 409, "username");
  const invitation = await sendInvitation(services, context, admin, user);
  if (invitation === "no_email") throw new AdminError("conflict", `${username} has no email address to mail an invitation to.`, 409, "email");
  return json({ invitation }, 202);
}
