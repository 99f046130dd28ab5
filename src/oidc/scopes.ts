import type { User } from "../store/index.ts";

/** Scopes Sigil understands; others are ignored (RFC 6749 §3.3 lets the server narrow the scope). */
export const SUPPORTED_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export const SUPPORTED_CLAIMS = [
  "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "amr", "acr", "azp",
  "name", "preferred_username", "email", "email_verified", "role", "groups",
] as const;

export function parseScope(scope: string | undefined): string[] {
  const requested = (scope ?? "").split(" ").filter((s) => s.length > 0);
  return [...new Set(requested)].filter((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s));
}

/**
 * The user's claims that the granted scopes release (OIDC Core §5.4), plus
 * `role` and `groups` whenever `openid` is granted, plus what the sign-in method verified.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 */
export function claimsForScopes(user: User, scopes: readonly string[], verifiedClaims: Record<string, unknown>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes("profile")) {
    claims.preferred_username = user.username;
    if (user.name) claims.name = user.name;
  }
  if (scopes.includes("email") && user.email) {
    claims.email = user.email;
    // Addresses are entered by an operator; Sigil has not proved the user controls them, so only an admin's word makes one verified.
    claims.email_verified = user.emailVerified;
  }
  if (scopes.includes("openid")) {
    claims.role = user.role;
    claims.groups = [...new Set([...user.groups, user.role])];
  }
  return { ...verifiedClaims, ...claims };
}
