/** otplib is loaded on first use: start-up should not wait for it. */
const otp = () => import("otplib");
import type { Keyring } from "../keys/index.ts";
import { hashSecret } from "../lib/ids.ts";

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30;
/** Recovery codes: 10 characters of Crockford's base32 (no i, l, o or u to misread): 50 bits each. */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
export const RECOVERY_CODE_COUNT = 8;

/** A fresh 160-bit secret, base32 as authenticator apps expect it. */
export async function newTotpSecret(): Promise<string> {
  return (await otp()).generateSecret({ length: 20 });
}

/** The otpauth:// URI the enrolment QR code carries: issuer = tenant, label = username. */
export async function totpUri(tenant: string, username: string, secret: string): Promise<string> {
  return (await otp()).generateURI({ issuer: tenant, label: username, secret, period: PERIOD });
}

/**
 * The time step a code belongs to, or null when it matches none. One step of clock drift
 * either way is accepted (RFC 6238 §5.2 recommends at most one step of transmission delay);
 * the caller then claims the step so the same code never works twice.
 * @see https://www.rfc-editor.org/rfc/rfc6238#section-5.2
 */
export async function matchTotpCode(secret: string, code: string, nowSeconds: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await (await otp()).verify({ secret, token: code, epoch: nowSeconds, period: PERIOD, epochTolerance: PERIOD });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = crypto.getRandomValues(new Uint8Array(10));
    const letters = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte % 32]!).join("");
    return `${letters.slice(0, 5)}-${letters.slice(5)}`;
  });
}

/**
 * A recovery code's SHA-256 digest; spaces, hyphens and case do not matter when typed back.
 * Older Sigils stored this digest; what is stored now is its keyed MAC (recoveryCodeMac).
 */
export function hashRecoveryCode(code: string): string {
  return hashSecret(`recovery:${code.toLowerCase().replace(/[\s-]+/g, "")}`);
}

/** What the store holds for a recovery code: useless, even to test guesses against, without the master key. */
export function recoveryCodeMac(keyring: Pick<Keyring, "recoveryCodeMac">, tenant: string, sub: string, code: string): Promise<string> {
  return keyring.recoveryCodeMac(tenant, sub, hashRecoveryCode(code));
}
