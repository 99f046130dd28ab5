import { expect, test } from "bun:test";
import { hashRecoveryCode, matchTotpCode, newRecoveryCodes, newTotpSecret } from "./totp.ts";

// RFC 6238 Appendix B: the SHA-1 secret "12345678901234567890"; a 6-digit code is the last six digits of the 8-digit vector.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

test("matches the RFC 6238 test vectors and names the time step", async () => {
  expect(await matchTotpCode(RFC_SECRET, "287082", 59)).toBe(1);
  expect(await matchTotpCode(RFC_SECRET, "081804", 1111111109)).toBe(37037036);
  expect(await matchTotpCode(RFC_SECRET, "279037", 2000000000)).toBe(66666666);
});

test("accepts one step of drift either way and no more", async () => {
  const at = 1111111109; // step 37037036, code 081804
  expect(await matchTotpCode(RFC_SECRET, "081804", at + 30)).toBe(37037036);
  expect(await matchTotpCode(RFC_SECRET, "081804", at - 30)).toBe(37037036);
  expect(await matchTotpCode(RFC_SECRET, "081804", at + 90)).toBeNull();
});

test("refuses anything but six digits", async () => {
  for (const code of ["", "28708", "2870820", "28708a", " 287082"]) expect(await matchTotpCode(RFC_SECRET, code, 59)).toBeNull();
});

test("secrets are 160 bits of base32 and differ", async () => {
  const a = await newTotpSecret();
  expect(a).toMatch(/^[A-Z2-7]{32}$/);
  expect(await newTotpSecret()).not.toBe(a);
});

test("recovery codes are eight distinct xxxxx-xxxxx codes whose hash ignores case, spaces and hyphens", () => {
  const codes = newRecoveryCodes();
  expect(codes).toHaveLength(8);
  expect(new Set(codes).size).toBe(8);
  for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  const code = codes[0]!;
  expect(hashRecoveryCode(code.toUpperCase().replace("-", " "))).toBe(hashRecoveryCode(code));
  expect(hashRecoveryCode(codes[1]!)).not.toBe(hashRecoveryCode(code));
});
