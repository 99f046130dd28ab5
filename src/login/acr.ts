/**
 * Authentication context classes Sigil reports in `acr` (documented in the README).
 * Relying parties ask for one with `acr_values` and read the one achieved in the id_token.
 */
export const ACR = {
  password: "urn:sigil:acr:pwd",
  /** A password and a one-time code (authenticator app, recovery code or emailed code): two factors. */
  passwordAndOtp: "urn:sigil:acr:pwd-otp",
  /** A mailed sign-in link and a one-time code from the authenticator app (or a recovery code): two factors, no password. */
  emailAndOtp: "urn:sigil:acr:email-otp",
  /** A passkey with user verification: possession of a hardware-bound key plus the device's PIN or biometric. */
  passkey: "urn:sigil:acr:hwk-mfa",
  /** An EU Digital Identity Wallet presentation: a credential bound to the wallet's hardware key, released after the wallet's own user authentication. */
  wallet: "urn:sigil:acr:eudi-wallet",
  /** Weaker than a password: proves only control of the mailbox, so relying parties can ask for more. */
  emailLink: "urn:sigil:acr:email-link",
} as const;

/** Strength order for acr_values: a request for one class is met by it or by any stronger one. */
const ACR_RANK: Record<string, number> = {
  [ACR.emailLink]: 0,
  [ACR.password]: 1,
  [ACR.passwordAndOtp]: 2,
  [ACR.emailAndOtp]: 2,
  [ACR.passkey]: 3,
  [ACR.wallet]: 3,
};

/**
 * Whether an authentication meets the relying party's acr_values: the weakest class it asked for
 * that Sigil knows must be reached. Classes Sigil does not know are ignored (OIDC Core §3.1.2.1
 * makes acr_values voluntary; Sigil enforces the ones it can, and never reports more than it achieved).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export function meetsAcrValues(achieved: string, requested: readonly string[]): boolean {
  const known = requested.map((value) => ACR_RANK[value]).filter((rank): rank is number => rank !== undefined);
  if (known.length === 0) return true;
  return (ACR_RANK[achieved] ?? -1) >= Math.min(...known);
}

/** True when the request can only be met by a passkey. */
export const requiresPasskey = (requested: readonly string[]): boolean => !meetsAcrValues(ACR.passwordAndOtp, requested);

/** The rank of a class in the strength order (unknown classes rank below all). */
export const acrRank = (acr: string): number => ACR_RANK[acr] ?? -1;
