import type { Keyring } from "../keys/index.ts";
import { nowSeconds } from "../lib/time.ts";
import type { Store, User } from "../store/index.ts";
import { totpBinding } from "./second-factor.ts";
import { matchTotpCode, newRecoveryCodes, newTotpSecret, recoveryCodeMac, totpUri } from "./totp.ts";

/** How long a shown secret waits for its first correct code. */
export const ENROLMENT_TTL = 10 * 60;

export interface EnrolmentDeps {
  store: Store;
  keyring: Keyring;
}

/** Starts (or restarts) enrolment: a new secret, sealed at rest, active only once a code proves the app has it. */
export async function beginTotpEnrolment(deps: EnrolmentDeps, user: User): Promise<{ secret: string; uri: string; expiresIn: number }> {
  const secret = await newTotpSecret();
  const sealed = await deps.keyring.sealSecret(totpBinding(user.tenant, user.sub), secret);
  await deps.store.secondFactors.beginTotpEnrolment(user.tenant, user.sub, sealed, nowSeconds() + ENROLMENT_TTL);
  return { secret, uri: await totpUri(user.tenant, user.username, secret), expiresIn: ENROLMENT_TTL };
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: "no_enrolment" | "wrong_code" };

/** Completes enrolment with a correct code from the app; returns the recovery codes, shown this once. */
export async function confirmTotpEnrolment(deps: EnrolmentDeps, user: User, code: string): Promise<ConfirmResult> {
  const now = nowSeconds();
  const enrolment = await deps.store.secondFactors.totp(user.tenant, user.sub);
  const sealed = enrolment?.pendingSealedSecret;
  if (!sealed || (enrolment.pendingExpiresAt ?? 0) <= now) return { ok: false, reason: "no_enrolment" };
  const secret = await deps.keyring.openSecret(totpBinding(user.tenant, user.sub), sealed);
  const step = await matchTotpCode(secret, code.trim(), now);
  if (step === null) return { ok: false, reason: "wrong_code" };
  const recoveryCodes = newRecoveryCodes();
  const macs = await macsOf(deps, user, recoveryCodes);
  const done = await deps.store.secondFactors.completeTotpEnrolment(user.tenant, user.sub, sealed, step, macs, now);
  return done ? { ok: true, recoveryCodes } : { ok: false, reason: "no_enrolment" };
}

/** New recovery codes replace all the old ones; null when the user has no authenticator app enrolled. */
export async function regenerateRecoveryCodes(deps: EnrolmentDeps, user: User): Promise<string[] | null> {
  if (!(await deps.store.secondFactors.totp(user.tenant, user.sub))?.sealedSecret) return null;
  const codes = newRecoveryCodes();
  await deps.store.secondFactors.replaceRecoveryCodes(user.tenant, user.sub, await macsOf(deps, user, codes));
  return codes;
}

const macsOf = (deps: EnrolmentDeps, user: User, codes: string[]) => Promise.all(codes.map((code) => recoveryCodeMac(deps.keyring, user.tenant, user.sub, code)));
