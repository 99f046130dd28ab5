import type { AuditLog } from "../audit/index.ts";
import type { Keyring } from "../keys/index.ts";
import type { Mailer } from "../mail/index.ts";
import type { Store, Tenant } from "../store/index.ts";
import { escapeHtml } from "../lib/html.ts";
import { isUsableHa1 } from "../lib/ha1.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { nowSeconds } from "../lib/time.ts";
import { issueSingleUseToken, readSingleUseToken } from "../keys/index.ts";
import { noteEmailProved } from "./email-proof.ts";

export const RECOVERY_TYPE = "recover";
export const RECOVERY_TTL = 15 * 60;

export interface RecoveryDeps {
  store: Store;
  keyring: Keyring;
  mailer: Mailer;
  audit: AuditLog;
}

/**
 * Mails a one-time recovery link to every active account that uses `email`. The caller
 * answers the same way whatever happens here and does not wait for it, so neither the
 * answer nor its timing tells whether the address belongs to anyone.
 */
export async function sendRecoveryLinks(deps: RecoveryDeps, tenant: Tenant, issuer: string, email: string, ip: string): Promise<void> {
  const users = (await deps.store.users.findByEmail(tenant.host, email)).filter((u) => !u.disabled && u.role !== "siponly");
  for (const user of users) {
    const token = await issueSingleUseToken(deps.keyring, tenant.host, issuer, RECOVERY_TYPE, user.sub, { preferred_username: user.username }, RECOVERY_TTL);
    const link = `${issuer}/recover.html#token=${token}`;
    try {
      await deps.mailer.send({
        tenant: tenant.host,
        tenantName: tenant.host,
        to: user.email!,
        subject: `Reset your password for ${tenant.host}`,
        text: `Someone asked to reset the password of ${user.username} at ${tenant.host}.\n\nTo choose a new password, open this link within 15 minutes:\n${link}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
        html: `<p>Someone asked to reset the password of <strong>${escapeHtml(user.username)}</strong> at ${escapeHtml(tenant.host)}.</p>` +
          `<p><a href="${escapeHtml(link)}">Choose a new password</a> (the link works once, for 15 minutes).</p>` +
          `<p>If it was not you, ignore this message; your password stays as it is.</p>`,
      });
      deps.audit.record(tenant.host, "recovery.sent", { sub: user.sub, ip });
    } catch (error) {
      deps.audit.record(tenant.host, "recovery.mail_failed", { sub: user.sub, ip });
      console.error(`recovery mail for ${tenant.host}: ${(error as Error).message}`);
    }
  }
}

/**
 * Sets a new HA1 from a recovery token: signature by this tenant's key, expiry, issuer,
 * audience and typ checked, the new HA1 well formed and not all zeros, then the jti
 * claimed atomically (a token works once), the HA1 stored and the user's refresh tokens revoked.
 */
export async function finishRecovery(deps: RecoveryDeps, tenant: string, issuer: string, token: string, newHa1: string, ip: string): Promise<void> {
  const invalid = (why: string) => new OAuthError("invalid_grant", "The recovery link is invalid, used or expired. Ask for a new one.", { internal: why });
  const claims = await readSingleUseToken(deps.keyring, tenant, issuer, RECOVERY_TYPE, token);
  if (!claims) throw invalid("recovery token rejected");
  const ha1 = newHa1.toLowerCase();
  if (!isUsableHa1(ha1)) throw new OAuthError("invalid_request", "The new password digest is malformed.");
  const user = await deps.store.users.findBySub(tenant, claims.sub);
  if (!user || user.disabled) throw invalid("user gone or disabled");
  if (!(await deps.store.jti.claimOnce(tenant, claims.jti, claims.exp))) throw invalid("recovery token reused");
  // Before the new password is stored: that update is a change of the user after the link was sent.
  await noteEmailProved(deps.store, user, typeof claims.iat === "number" ? claims.iat : 0);
  const now = nowSeconds();
  await deps.store.users.update(tenant, user.username, { sealedHa1: await deps.keyring.sealHa1(tenant, user.sub, ha1) }, now);
  await deps.store.grants.revokeGrantsOfUser(tenant, user.sub, now);
  // Whoever held the old password may hold a single sign-on assertion too: end them all.
  await deps.store.users.raiseSessionEpoch(tenant, user.sub);
  deps.audit.record(tenant, "recovery.completed", { sub: user.sub, ip });
}
