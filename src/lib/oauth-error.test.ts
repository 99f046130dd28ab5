import { expect, test } from "bun:test";
import { OAuthError } from "./oauth-error.ts";

test("error_description never carries CR, LF, TAB, quotes or backslashes (RFC 6749 §5.2 charset)", () => {
  const error = new OAuthError("invalid_request", 'line one\r\nline\ttwo "quoted" \\ é');
  expect(error.description).not.toMatch(/[\r\n\t"\\]/);
  expect(error.description).toMatch(/^[\x20-\x7E]*$/);
});

test("maps protocol errors to their RFC status codes", () => {
  expect(new OAuthError("invalid_grant", "x").status).toBe(400);
  expect(new OAuthError("invalid_client", "x").status).toBe(401);
  expect(new OAuthError("too_many_requests", "x").status).toBe(429);
  expect(new OAuthError("unknown_host", "x").status).toBe(421);
});
