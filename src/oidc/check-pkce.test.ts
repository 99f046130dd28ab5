import { expect, test } from "bun:test";
import { OAuthError } from "../lib/oauth-error.ts";
import { checkCodeChallenge, verifyPkce } from "./check-pkce.ts";

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
// RFC 7636 Appendix B test vector.
const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

test("accepts the RFC 7636 Appendix B verifier for its challenge", () => {
  expect(() => verifyPkce(challenge, verifier)).not.toThrow();
});

test("rejects a wrong, missing or malformed verifier with invalid_grant", () => {
  for (const bad of [verifier.replace("d", "e"), undefined, "short"]) {
    try {
      verifyPkce(challenge, bad);
      throw new Error("accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).error).toBe("invalid_grant");
    }
  }
});

test("rejects a verifier for a code that had no challenge (PKCE downgrade)", () => {
  expect(() => verifyPkce(null, verifier)).toThrow(OAuthError);
  expect(() => verifyPkce(null, undefined)).not.toThrow();
});

test("an authorization request's challenge: S256 only, well formed, and required of public clients", () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return { error: (error as OAuthError).error, redirectable: (error as OAuthError).redirectable };
    }
    return null;
  };
  expect(checkCodeChallenge(challenge, "S256", true)).toBe(challenge);
  expect(checkCodeChallenge(null, undefined, false)).toBeNull();
  for (const run of [
    () => checkCodeChallenge(null, undefined, true),
    () => checkCodeChallenge(challenge, undefined, true),
    () => checkCodeChallenge(challenge, "plain", false),
    () => checkCodeChallenge("too-short", "S256", false),
    () => checkCodeChallenge(null, "S256", false),
  ]) expect(refusal(run)).toEqual({ error: "invalid_request", redirectable: true });
});
