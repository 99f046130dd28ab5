// The modules that add one parameter to the happy flow's authorization request (display, ui_locales,
// claims_locales, login_hint, an unknown one): it must not cause an error (OIDC Core §3.1.2.1, §15.1;
// RFC 6749 §3.1: unknown parameters are ignored), so the flow completes and passes every check of the
// happy flow; and, as a control, the same request without response_type is refused.
import { expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, sendAuthorization } from "./authorization.ts";
import { completeFlow } from "./flow.ts";
import { useOp } from "./op.ts";

/** The module's tests for the request parameter `name`=`value`, on the file's own OP. */
export function addedParameterModule(name: string, value: string): void {
  const op = useOp();

  test(`an authorization request with ${name}=${value} completes the code flow and yields a valid id_token`, async () => {
    const flow = await completeFlow(op, { extra: { [name]: value } });
    expect(flow.request.params.get(name)).toBe(value);
    expect(typeof flow.tokens.access_token).toBe("string");
  });

  test("control: the same request without response_type is refused, so the authorization endpoint does validate what it accepts", async () => {
    const request = authorizationRequest(op, { responseType: null, extra: { [name]: value } });
    const response = await sendAuthorization(op, request);
    expect(response.status).toBe(302);
    expect(expectAuthorizationError(op, new URL(response.headers.get("location")!), request)).toBe("invalid_request");
  });
}
