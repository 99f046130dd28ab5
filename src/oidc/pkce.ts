import { constantTimeEqual } from "../lib/constant-time.ts";
import { OAuthError } from "../lib/oauth-error.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

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
  if (!VERIFIER.test(verifier)) throw new OAuthError("invalid_grant", "code_verifier is malformed.");
  const computed = new Bun.CryptoHasher("sha256").update(verifier).digest("base64url");
  if (!constantTimeEqual(computed, challenge)) throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge.");
}
