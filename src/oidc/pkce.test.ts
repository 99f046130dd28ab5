import { expect, test } from "bun:test";
import { OAuthError } from "../lib/oauth-error.ts";
import { verifyPkce } from "./pkce.ts";

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
