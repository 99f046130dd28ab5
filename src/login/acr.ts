/**
 * Authentication context classes Sigil reports in `acr` (documented in the README).
 * Relying parties ask for one with `acr_values` and read the one achieved in the id_token.
 */
export const ACR = {
  password: "urn:sigil:acr:pwd",
  /** A password and a one-time code (authenticator app, recovery code or emailed code): two factors. */
  passwordAndOtp: "urn:sigil:acr:pwd-otp",
  /** Weaker than a password: proves only control of the mailbox, so relying parties can ask for more. */
  emailLink: "urn:sigil:acr:email-link",
} as const;
