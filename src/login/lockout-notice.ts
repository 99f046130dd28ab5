import { escapeHtml } from "../lib/html.ts";
import type { Mailer } from "../mail/index.ts";
import type { User } from "../store/index.ts";

export type LockoutKind = "second_factor" | "password";

const TEXT: Record<LockoutKind, { subject: string; what: string; advice: string }> = {
  second_factor: {
    subject: "Someone has your password",
    what: "Someone entered your password correctly and then the wrong authentication code several times.",
    advice: "Your password is known to someone else: change it. Codes from devices you have not signed in on before are paused for a while; your passkeys, your EU Wallet and the devices you usually sign in on keep working.",
  },
  password: {
    subject: "Many failed sign-ins to your account",
    what: "Someone tried many wrong passwords for your account.",
    advice: "Password sign-ins from devices you have not signed in on before are paused for a while; your passkeys, your EU Wallet and the devices you usually sign in on keep working. If this was not you, no action is needed unless your password is weak.",
  },
};

/**
 * Tells the account holder that their account was throttled, the moment it first is: so that a
 * second factor that held tells them their password is known, and a real user slowed down by
 * someone else's guessing knows why and which ways in still work.
 */
export async function sendLockoutNotice(mailer: Mailer, tenant: string, user: User, kind: LockoutKind): Promise<void> {
  if (!user.email) return;
  const text = TEXT[kind];
  await mailer.send({
    tenant,
    tenantName: tenant,
    to: user.email,
    subject: `${text.subject} (${tenant})`,
    text: `${text.what}\n\nAccount: ${user.username} at ${tenant}\n\n${text.advice}\n`,
    html: `<p>${escapeHtml(text.what)}</p><p>Account: <strong>${escapeHtml(user.username)}</strong> at ${escapeHtml(tenant)}</p><p>${escapeHtml(text.advice)}</p>`,
  });
}
