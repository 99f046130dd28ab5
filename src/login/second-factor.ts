import type { Keyring } from "../keys/index.ts";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { escapeHtml } from "../lib/html.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Mailer } from "../mail/index.ts";
import type { Store, Tenant, User } from "../store/index.ts";
import { ACR } from "./acr.ts";
import { noteEmailProved } from "./email-proof.ts";
import type { Authentication } from "./authentication.ts";
import type { Throttle } from "../context/index.ts";
import { throttleKeys } from "./throttle.ts";
import { hashRecoveryCode, matchTotpCode } from "./totp.ts";

/** How long the browser has to give the second factor after the password. */
export const PENDING_LOGIN_TTL = 5 * 60;
/** Wrong codes a pending login survives: the fifth destroys it and the password must be given again. */
export const SECOND_FACTOR_ATTEMPTS = 5;
export const EMAIL_CODE_TTL = 10 * 60;

export interface SecondFactorDeps {
  store: Store;
  keyring: Keyring;
  mailer: Mailer;
  /** Wrong codes per account (untrusted devices) and per known device, across pending logins. */
  secondFactorThrottle: Throttle;
}

export type SecondFactorProof = { kind: "totp"; code: string } | { kind: "recovery_code"; code: string } | { kind: "email_code"; code: string };

export type SecondFactorResult =
  | { ok: true; authentication: Authentication; returnTo: string; user: User }
  /**
   * `locked`: this failure was the last one allowed and destroyed the pending login.
   * `lockedAccount`: this failure made the account's codes wait (the user is told by mail).
   */
  | { ok: false; reason: "no_pending_login" | "wrong_code" | "locked"; attemptsLeft: number; sub: string | null; lockedAccount?: boolean }
  /** The account (or this device) had too many wrong codes lately: no code is judged for `retryAfter` seconds. */
  | { ok: false; reason: "throttled"; retryAfter: number; sub: string };

export const totpBinding = (tenant: string, sub: string) => `totp/${tenant}/${sub}`;

/** Whether a password sign-in of this user must be followed by a second factor. */
export async function requiresSecondFactor(store: Store, tenant: string, sub: string): Promise<boolean> {
  return Boolean((await store.secondFactors.totp(tenant, sub))?.sealedSecret);
}

/** Where an account's second-factor failures count: its own known device, or the account's untrusted path. */
export const secondFactorThrottleKey = (sub: string, deviceId: string | null): string =>
  deviceId ? throttleKeys.device("2fa", deviceId) : throttleKeys.secondFactor(sub);

/**
 * Holds a first factor (a password, or a mailed sign-in link) server-side until its second factor
 * arrives; the browser gets only the ID. `deviceId` names the known device the first step came from.
 */
export async function openPendingLogin(
  store: Store, tenant: string, sub: string, returnTo: string, firstFactor: "pwd" | "email", deviceId: string | null,
): Promise<{ id: string; expiresIn: number }> {
  const id = randomId();
  await store.pendingLogins.create({
    tenant, idHash: hashSecret(id), sub, returnTo, expiresAt: nowSeconds() + PENDING_LOGIN_TTL, firstFactor, deviceKey: secondFactorThrottleKey(sub, deviceId),
  });
  return { id, expiresIn: PENDING_LOGIN_TTL };
}

/**
 * Checks the second factor of a pending login. A wrong, replayed or spent code counts against the
 * pending login and against the account (or the known device it came from) across pending logins,
 * so opening a new pending login with the password buys no new guesses; while that count says
 * wait, no code is judged at all, right or wrong. Success ends the pending login, so it completes
 * exactly one sign-in.
 */
export async function verifySecondFactor(deps: SecondFactorDeps, tenant: string, pendingId: string, proof: SecondFactorProof): Promise<SecondFactorResult> {
  const idHash = hashSecret(pendingId);
  const now = nowSeconds();
  const pending = pendingId.length <= 128 ? await deps.store.pendingLogins.find(tenant, idHash, now) : null;
  if (!pending) return { ok: false, reason: "no_pending_login", attemptsLeft: 0, sub: null };
  const user = await deps.store.users.findBySub(tenant, pending.sub);
  if (!user || user.disabled || user.role === "siponly") {
    await deps.store.pendingLogins.consume(tenant, idHash, now);
    return { ok: false, reason: "no_pending_login", attemptsLeft: 0, sub: pending.sub };
  }
  const throttleKey = pending.deviceKey ?? throttleKeys.secondFactor(pending.sub);
  const throttle = await deps.secondFactorThrottle.check(tenant, throttleKey, now);
  if (throttle.wait > 0) return { ok: false, reason: "throttled", retryAfter: throttle.wait, sub: pending.sub };
  // A code sent by email answers a link sent by email: the mailbox would be both factors.
  const allowed = !(pending.firstFactor === "email" && proof.kind === "email_code");
  const accepted = allowed && (await proofHolds(deps, tenant, pending.sub, idHash, pending.emailCodeHash, pending.emailCodeExpiresAt, proof, now));
  if (!accepted) {
    const { lockedNow } = await deps.secondFactorThrottle.fail(tenant, throttleKey, now);
    const attemptsLeft = await deps.store.pendingLogins.recordFailure(tenant, idHash, SECOND_FACTOR_ATTEMPTS);
    // The holder hears of it when a device they never used got this far: their password is known.
    const lockedAccount = lockedNow && throttleKey === throttleKeys.secondFactor(pending.sub);
    return { ok: false, reason: attemptsLeft === 0 ? "locked" : "wrong_code", attemptsLeft, sub: pending.sub, lockedAccount };
  }
  if (!(await deps.store.pendingLogins.consume(tenant, idHash, now))) return { ok: false, reason: "no_pending_login", attemptsLeft: 0, sub: pending.sub };
  await deps.secondFactorThrottle.succeed(tenant, throttleKey, throttle.failures);
  if (proof.kind === "email_code" && pending.emailCodeExpiresAt !== null) await noteEmailProved(deps.store, user, pending.emailCodeExpiresAt - EMAIL_CODE_TTL);
  return {
    ok: true,
    user,
    returnTo: pending.returnTo,
    // RFC 8176: a knowledge factor (or presence at the mailbox) and a one-time password.
    authentication: pending.firstFactor === "email"
      ? { tenant, sub: user.sub, amr: ["user", "otp"], acr: ACR.emailAndOtp, authTime: now, claims: {} }
      : { tenant, sub: user.sub, amr: ["pwd", "otp"], acr: ACR.passwordAndOtp, authTime: now, claims: {} },
  };
}

async function proofHolds(
  deps: SecondFactorDeps, tenant: string, sub: string, idHash: string,
  emailCodeHash: string | null, emailCodeExpiresAt: number | null, proof: SecondFactorProof, now: number,
): Promise<boolean> {
  const code = proof.code.trim();
  if (code.length === 0 || code.length > 64) return false;
  switch (proof.kind) {
    case "totp": {
      const enrolment = await deps.store.secondFactors.totp(tenant, sub);
      if (!enrolment?.sealedSecret) return false;
      const secret = await deps.keyring.openSecret(totpBinding(tenant, sub), enrolment.sealedSecret);
      const step = await matchTotpCode(secret, code, now);
      // Claiming the step is atomic: the same code (or an older one) is refused from now on.
      return step !== null && (await deps.store.secondFactors.claimTotpStep(tenant, sub, step));
    }
    case "recovery_code":
      return deps.store.secondFactors.useRecoveryCode(tenant, sub, await deps.keyring.recoveryCodeMac(tenant, sub, hashRecoveryCode(code)));
    case "email_code":
      if (!emailCodeHash || emailCodeExpiresAt === null || emailCodeExpiresAt <= now) return false;
      return constantTimeEqual(emailCodeHash, emailCodeHashOf(idHash, code));
  }
}

const emailCodeHashOf = (idHash: string, code: string) => hashSecret(`email-code:${idHash}:${code}`);

/** A uniformly drawn six-digit code. */
function sixDigits(): string {
  const limit = 4_294_000_000; // largest multiple of 10^6 below 2^32: no modulo bias
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    if (value! < limit) return String(value! % 1_000_000).padStart(6, "0");
  }
}

export type EmailCodeResult = "sent" | "no_pending_login" | "no_address" | "mail_failed" | "not_offered";

/** Mails a short-lived six-digit code to the address on file; a new code replaces the last one. */
export async function sendEmailCode(deps: SecondFactorDeps, tenant: Tenant, pendingId: string): Promise<{ result: EmailCodeResult; sub: string | null }> {
  const idHash = hashSecret(pendingId);
  const pending = pendingId.length <= 128 ? await deps.store.pendingLogins.find(tenant.host, idHash, nowSeconds()) : null;
  if (!pending) return { result: "no_pending_login", sub: null };
  if (pending.firstFactor === "email") return { result: "not_offered", sub: pending.sub };
  const user = await deps.store.users.findBySub(tenant.host, pending.sub);
  if (!user?.email) return { result: "no_address", sub: pending.sub };
  const code = sixDigits();
  if (!(await deps.store.pendingLogins.setEmailCode(tenant.host, idHash, emailCodeHashOf(idHash, code), nowSeconds() + EMAIL_CODE_TTL))) {
    return { result: "no_pending_login", sub: pending.sub };
  }
  try {
    await deps.mailer.send({
      tenant: tenant.host,
      tenantName: tenant.host,
      to: user.email,
      subject: `Your sign-in code for ${tenant.host}: ${code}`,
      text: `Your code to finish signing in to ${tenant.host} as ${user.username} is:\n\n${code}\n\nIt works once, for 10 minutes. If you did not just sign in, change your password: someone knows it.\n`,
      html: `<p>Your code to finish signing in to ${escapeHtml(tenant.host)} as <strong>${escapeHtml(user.username)}</strong> is:</p>` +
        `<p style="font-size:1.5em;letter-spacing:.2em"><strong>${code}</strong></p>` +
        `<p>It works once, for 10 minutes. If you did not just sign in, change your password: someone knows it.</p>`,
    });
    return { result: "sent", sub: pending.sub };
  } catch (error) {
    console.error(`sign-in code mail for ${tenant.host}: ${(error as Error).message}`);
    return { result: "mail_failed", sub: pending.sub };
  }
}
