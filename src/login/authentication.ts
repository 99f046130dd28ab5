/**
 * What every sign-in method yields: who the user is and how they proved it.
 * oidc/ turns this plus an authorization request into a code; it never learns how.
 */
export interface Authentication {
  tenant: string;
  sub: string;
  /** RFC 8176 authentication method references, e.g. ["pwd"]. */
  amr: string[];
  /** The authentication context class actually achieved (see ACR in acr.ts). */
  acr: string;
  /** When the user really authenticated (seconds); unchanged when single sign-on reuses it. */
  authTime: number;
  /** Claims the method verified itself (for example a wallet's disclosures); empty for a password. */
  claims: Record<string, unknown>;
}
