// The oidcc-scope-* modules for a scope Sigil lists in scopes_supported (so the suite runs rather
// than skips them): the flow with "openid <scope>" succeeds, userinfo returns the scope's claims
// (OIDC Core §5.4), and the suite's warning on a missing claim is accounted for.
import { expect, test } from "bun:test";
import { completeFlow } from "./flow.ts";
import { useOp } from "./op.ts";
import { expectScopeClaims, missingScopeClaims } from "./scopes.ts";
import { callUserinfo, expectUserinfo } from "./userinfo.ts";
import { expectWarningAccountedFor } from "./warnings.ts";

/** The tests of module oidcc-scope-`name`, on the file's own OP. */
export function supportedScopeModule(name: string): void {
  const op = useOp();
  const scope = `openid ${name}`;

  test(`scope "${scope}": the flow succeeds, and userinfo returns the claims of every supported scope and none of an unsupported one`, async () => {
    await expectScopeClaims(op, scope);
  });

  test(`scopes_supported lists ${name}, so the suite runs this module rather than skipping it`, () => {
    expect(op.metadata.scopes_supported).toContain(name);
  });

  test(`userinfo holds every standard claim of scope "${scope}" (OIDC Core §5.4), or expected-failures.json accounts for the suite's warning`, async () => {
    const flow = await completeFlow(op, { scope });
    const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
    const missing = missingScopeClaims(scope, userinfo);
    await expectWarningAccountedFor(`oidcc-scope-${name}`, "VerifyScopesReturnedInUserInfoClaims", missing.length > 0, { missingClaims: missing });
  });
}
