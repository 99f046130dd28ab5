// The scope modules: which claims each scope asks for (OIDC Core §5.4) and what Sigil releases.
import { expect } from "bun:test";
import { completeFlow } from "./flow.ts";
import type { Op } from "./op.ts";
import { callUserinfo, expectUserinfo } from "./userinfo.ts";

/** OIDC Core §5.4: the standard claims each scope value asks for (the table the suite checks against). */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at", "preferred_username"],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
  offline_access: [],
};

/** The claims of `scope` (space-separated) missing from `claims`: what VerifyScopesReturnedInUserInfoClaims warns about. */
export function missingScopeClaims(scope: string, claims: Record<string, unknown>): string[] {
  return scope.split(" ").flatMap((value) => SCOPE_CLAIMS[value] ?? []).filter((claim) => !(claim in claims));
}

/** The id_token claims that are neither protocol claims nor asked for by `scope`: what EnsureIdTokenDoesNotContainNonRequestedClaims warns about. */
export function nonRequestedIdTokenClaims(scope: string, claims: Record<string, unknown>): string[] {
  const protocol = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "nbf", "jti", "sid", "s_hash", "txn"];
  const requested = scope.split(" ").includes("openid") ? scope.split(" ").flatMap((value) => SCOPE_CLAIMS[value] ?? []) : [];
  return Object.keys(claims).filter((claim) => !protocol.includes(claim) && !requested.includes(claim));
}

/** The claims each scope releases that Sigil's test user has values for (a subset of SCOPE_CLAIMS). */
const TEST_USER_SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ["name", "preferred_username"], email: ["email", "email_verified"], address: ["address"], phone: ["phone_number", "phone_number_verified"],
};

/**
 * The oidcc-scope-* modules: the flow with `scope` succeeds; for each scope Sigil lists in
 * scopes_supported, it is granted and userinfo returns its claims; for each it does not, it is
 * not granted and none of its claims appear.
 */
export async function expectScopeClaims(op: Op, scope: string): Promise<void> {
  const requested = scope.split(" ").filter((name) => name !== "openid");
  const flow = await completeFlow(op, { scope });
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  const supported = op.metadata.scopes_supported ?? [];
  const granted = (flow.tokens.scope ?? scope).split(" ");
  for (const name of requested) {
    const offered = supported.includes(name);
    expect({ scope: name, granted: granted.includes(name) }).toEqual({ scope: name, granted: offered });
    for (const claim of TEST_USER_SCOPE_CLAIMS[name]!) expect({ scope: name, claim, present: claim in userinfo }).toEqual({ scope: name, claim, present: offered });
  }
}
