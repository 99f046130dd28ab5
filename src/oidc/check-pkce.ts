/**
 * PKCE (RFC 7636), both halves: the challenge an authorization request must carry (S256 only,
 * required of public clients) and the verifier the token request must match. One grammar for both:
 * 43 to 128 characters of the unreserved set.
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { OAuthError } from "../lib/oauth-error.ts";

/** RFC 7636 §4.1 (verifier) and §4.2 (an S256 challenge is its base64url SHA-256, 43 characters). */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * The authorization request's half: `code_challenge` with method S256 (plain is refused), well formed,
 * and present whenever the client is public. Returns the challenge to bind to the code, or null.
 * Failures are redirectable: the client and redirect_uri were checked before.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export function checkCodeChallenge(challenge: string | null, method: string | undefined, publicClient: boolean): string | null {
  const refuse = (description: string) => new OAuthError("invalid_request", description, { redirectable: true });
  if (challenge === null && method !== undefined) throw refuse("code_challenge_method without code_challenge.");
  if (challenge === null) {
    if (publicClient) throw refuse("PKCE (code_challenge with S256) is required for public clients.");
    return null;
  }
  if ((method ?? "plain") !== "S256") throw refuse("Only the S256 code_challenge_method is supported.");
  if (!PKCE_VALUE.test(challenge)) throw refuse("code_challenge is malformed.");
  return challenge;
}

/**
 * PKCE S256: BASE64URL(SHA256(code_verifier)) must equal the stored challenge.
 * A verifier sent for a code that had no challenge is refused too (RFC 9700 §4.8.2: PKCE downgrade).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export function verifyPkce(challenge: string | null, verifier: string | undefined): void {
  if (challenge === null) {
    if (verifier !== undefined) throw new OAuthError("invalid_grant", "code_verifier sent, but the authorization request had no code_challenge.");
    return;
  }
  if (verifier === undefined) throw new OAuthError("invalid_grant", "code_verifier is required.");
  if (!PKCE_VALUE.test(verifier)) throw new OAuthError("invalid_grant", "code_verifier is malformed.");
  const computed = createHash("sha256").update(verifier).digest("base64url");
  if (!constantTimeEqual(computed, challenge)) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
}
