// The userinfo endpoint as the suite calls it, and its checks on the claims.
import { expect } from "bun:test";
import type { Op } from "./op.ts";

export type UserinfoStyle = "get-header" | "post-header" | "post-body";

/** Calls userinfo the three ways the suite does: GET with a Bearer header, POST with it, POST with access_token in the form. */
export function callUserinfo(op: Op, accessToken: string, style: UserinfoStyle = "get-header"): Promise<Response> {
  const path = new URL(op.metadata.userinfo_endpoint).pathname;
  if (style === "get-header") return op.server.fetch(path, { headers: { authorization: `Bearer ${accessToken}` } });
  if (style === "post-header") return op.server.fetch(path, { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
  return op.server.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ access_token: accessToken }).toString() });
}

/**
 * The userinfo checks (EnsureHttpStatusCodeIs200, EnsureContentTypeJson, ValidateUserInfoStandardClaims,
 * EnsureUserInfoContainsSub, EnsureUserInfoUpdatedAtValid, VerifyUserInfoAndIdTokenInTokenEndpointSameSub).
 */
export async function expectUserinfo(response: Response, idTokenSub: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: 200, body: expect.any(String) });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const claims = JSON.parse(text) as Record<string, unknown>;
  expect(claims.sub).toBe(idTokenSub);
  expectStandardClaimTypes(claims);
  return claims;
}

/** OIDC Core §5.1: the standard claims, when present, have their defined JSON types. */
export function expectStandardClaimTypes(claims: Record<string, unknown>): void {
  const strings = ["sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
    "email", "gender", "birthdate", "zoneinfo", "locale", "phone_number"];
  for (const name of strings) if (claims[name] !== undefined) expect({ [name]: typeof claims[name] }).toEqual({ [name]: "string" });
  for (const name of ["email_verified", "phone_number_verified"]) if (claims[name] !== undefined) expect({ [name]: typeof claims[name] }).toEqual({ [name]: "boolean" });
  if (claims.updated_at !== undefined) expect(typeof claims.updated_at).toBe("number");
  if (claims.address !== undefined) expect(typeof claims.address).toBe("object");
}
