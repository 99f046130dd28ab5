import type { Tenant } from "../store/index.ts";
import { escapeHtml } from "../lib/html.ts";
import { nowSeconds } from "../lib/time.ts";
import { ACR } from "./acr.ts";
import type { Authentication } from "./authentication.ts";
import type { RecoveryDeps } from "./password-recovery.ts";
import { issueSingleUseToken, readSingleUseToken } from "../keys/index.ts";
import { noteEmailProved } from "./email-proof.ts";

export const EMAIL_LINK_TYPE = "email-link";
export const EMAIL_LINK_TTL = 15 * 60;

/**
 * Mails a single-use sign-in link to each active account using `email`. The token carries
 * the authorization request it completes (`ret`), so the link finishes that request in
 * whichever browser opens it. The caller answers the same way whatever happens here.
 */
export async function sendSignInLinks(deps: RecoveryDeps, tenant: Tenant, issuer: string, email: string, returnTo: string, ip: string): Promise<void> {
  const users = (await deps.store.users.findByEmail(tenant.host, email)).filter((u) => !u.disabled && u.role !== "siponly");
  for (const user of users) {
    const token = await issueSingleUseToken(deps.keyring, tenant.host, issuer, EMAIL_LINK_TYPE, user.sub, { ret: returnTo }, EMAIL_LINK_TTL);
    const link = `${issuer}/login.html?method=email-link#token=${token}`;
    try {
      await deps.mailer.send({
        tenant: tenant.host,
        tenantName: tenant.host,
        to: user.email!,
        subject: `Your sign-in link for ${tenant.host}`,
        text: `To sign in to ${tenant.host} as ${user.username}, open this link within 15 minutes (it works once):\n${link}\n\nIf you did not ask for it, ignore this message.\n`,
        html: `<p>To sign in to ${escapeHtml(tenant.host)} as <strong>${escapeHtml(user.username)}</strong>, ` +
          `<a href="${escapeHtml(link)}">open this link</a> within 15 minutes (it works once).</p><p>If you did not ask for it, ignore this message.</p>`,
      });
      deps.audit.record(tenant.host, "email_link.sent", { sub: user.sub, ip });
    } catch (error) {
      deps.audit.record(tenant.host, "email_link.mail_failed", { sub: user.sub, ip });
      console.error(`sign-in link mail for ${tenant.host}: ${(error as Error).message}`);
    }
  }
}

/** Redeems a sign-in link once: the authentication it proves and the request it completes, or null. */
export async function redeemSignInLink(deps: RecoveryDeps, tenant: string, issuer: string, token: string): Promise<{ authentication: Authentication; returnTo: string } | null> {
  const claims = await readSingleUseToken(deps.keyring, tenant, issuer, EMAIL_LINK_TYPE, token);
  if (!claims || typeof claims.ret !== "string") return null;
  const user = await deps.store.users.findBySub(tenant, claims.sub);
  if (!user || user.disabled || user.role === "siponly") return null;
  if (!(await deps.store.jti.claimOnce(tenant, claims.jti, claims.exp))) return null;
  await noteEmailProved(deps.store, user, typeof claims.iat === "number" ? claims.iat : 0);
  return {
    returnTo: claims.ret,
    // RFC 8176 "user": the user proved presence at their mailbox, no knowledge factor.
    authentication: { tenant, sub: user.sub, amr: ["user"], acr: ACR.emailLink, authTime: nowSeconds(), claims: {} },
  };
}
