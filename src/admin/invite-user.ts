import type { RequestContext, Services } from "../context/index.ts";
import { issueSingleUseToken } from "../keys/index.ts";
import { escapeHtml } from "../lib/html.ts";
import { RECOVERY_TYPE } from "../login/password-recovery.ts";
import type { User } from "../store/index.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { recordAdminChange } from "./record-change.ts";

/** An invitation works longer than a recovery link (15 minutes): people do not read mail at once. */
export const INVITATION_TTL = 7 * 86400;

/**
 * Mails the user a link to choose their own password. It is a recovery link (the same signed,
 * single-use token and the same /recover.html page, login/password-recovery.ts), so choosing the
 * password runs through the one path that already sets an HA1 from a mailed link. The link points
 * at the tenant's canonical origin, never at the Host of this request.
 */
export async function sendInvitation(services: Services, context: RequestContext, admin: AdminPrincipal, user: User): Promise<"sent" | "failed" | "no_email"> {
  const tenant = context.tenant;
  if (!user.email) return "no_email";
  const origin = services.canonicalOrigin(tenant);
  const token = await issueSingleUseToken(services.keyring, tenant.host, origin, RECOVERY_TYPE, user.sub, { preferred_username: user.username }, INVITATION_TTL);
  const link = `${origin}/recover.html#token=${token}`;
  const name = tenant.displayName ?? tenant.host;
  let outcome: "sent" | "failed" = "sent";
  try {
    await services.mailer.send({
      tenant: tenant.host,
      tenantName: name,
      to: user.email,
      subject: `You are invited to ${name}`,
      text: `An administrator of ${name} created the account ${user.username} for you.\n\nTo choose your password, open this link within 7 days:\n${link}\n\nIf you did not expect this, ignore this message.\n`,
      html: `<p>An administrator of ${escapeHtml(name)} created the account <strong>${escapeHtml(user.username)}</strong> for you.</p>` +
        `<p><a href="${escapeHtml(link)}">Choose your password</a> (the link works once, for 7 days).</p><p>If you did not expect this, ignore this message.</p>`,
    });
  } catch (error) {
    outcome = "failed";
    console.error(`invitation mail for ${tenant.host}: ${(error as Error).message}`);
  }
  await recordAdminChange(services, context, admin, outcome === "sent" ? "user.invite" : "user.invite-failed", { username: user.username, sub: user.sub });
  return outcome;
}
