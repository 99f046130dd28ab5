// The oidcc-userinfo-* modules: after the happy flow, userinfo called one of the three ways RFC 6750
// §2.1-2.2 allows; 200 JSON with the id_token's sub and the scopes' claims, and, as a control, 401 for
// a token never issued.
import { expect, test } from "bun:test";
import { completeFlow } from "./flow.ts";
import { useOp } from "./op.ts";
import { callUserinfo, expectUserinfo, type UserinfoStyle } from "./userinfo.ts";

const HOW: Record<UserinfoStyle, string> = {
  "get-header": "GET with the access token in the Authorization header",
  "post-header": "POST with the access token in the Authorization header",
  "post-body": "POST with the access token in the form body",
};

/** The module's tests for one way of calling userinfo, on the file's own OP. */
export function userinfoModule(style: UserinfoStyle): void {
  const op = useOp();

  test(`userinfo by ${HOW[style]} answers 200 JSON whose sub is the id_token's`, async () => {
    const flow = await completeFlow(op, { scope: "openid profile email" });
    const claims = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token, style), flow.idToken.claims.sub!);
    // The scopes asked for are honoured here too (VerifyScopesReturnedInUserInfoClaims).
    expect(claims.preferred_username).toBe(op.p.username);
    expect(claims.email).toBe("alice@example.org");
  });

  test("the same call with a token that was never issued is refused with 401 invalid_token, so the 200 above is earned", async () => {
    const response = await callUserinfo(op, "not-a-token-" + crypto.randomUUID(), style);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');
  });
}
