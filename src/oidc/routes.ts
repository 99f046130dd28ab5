import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { completeSetup, TenantInputError } from "../tenant/index.ts";
import { authorize } from "./authorize.ts";
import type { RequestContext, Services } from "./context.ts";
import { endSession } from "./end-session.ts";
import { emailMethodsOffered, emailLinkStart } from "./email-link.ts";
import { introspect } from "./introspect.ts";
import { recoverFinish, recoverStart } from "./recover.ts";
import { revoke } from "./revoke.ts";
import { passkeySignInFinish, passkeySignInStart } from "./passkey-sign-in.ts";
import { emailCodeStart, secondFactorSignIn } from "./second-factor.ts";
import { walletFinish, walletStart } from "./wallet-sign-in.ts";
import { signIn } from "./sign-in.ts";
import { token } from "./token.ts";
import { userinfo } from "./userinfo.ts";

/** How an endpoint's failures are shown: RFC 6749 JSON, or a page for a person in a browser. */
export type ErrorStyle = "json" | "page";

export interface EndpointSpec {
  name: string;
  methods: readonly ("GET" | "POST")[];
  errors: ErrorStyle;
  handle(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response>;
}

const json = (body: unknown) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

/** Every OIDC endpoint; http/ mounts each at /oauth2/v1/<name> and /oidc.ashx?action=<name>. */
export const OIDC_ENDPOINTS: readonly EndpointSpec[] = [
  { name: "authorize", methods: ["GET", "POST"], errors: "page", handle: (s, c, p) => authorize(s, c, p) },
  { name: "login", methods: ["POST"], errors: "json", handle: (s, c, p) => signIn(s, c, p) },
  { name: "login-second-factor", methods: ["POST"], errors: "json", handle: (s, c, p) => secondFactorSignIn(s, c, p) },
  { name: "login-email-code", methods: ["POST"], errors: "json", handle: (s, c, p) => emailCodeStart(s, c, p) },
  { name: "passkey-signin-start", methods: ["POST"], errors: "json", handle: (s, c, p) => passkeySignInStart(s, c, p) },
  { name: "passkey-signin-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => passkeySignInFinish(s, c, p) },
  { name: "wallet-start", methods: ["POST"], errors: "json", handle: (s, c, p) => walletStart(s, c, p) },
  { name: "wallet-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => walletFinish(s, c, p) },
  { name: "token", methods: ["POST"], errors: "json", handle: token },
  { name: "userinfo", methods: ["GET", "POST"], errors: "json", handle: userinfo },
  { name: "introspect", methods: ["POST"], errors: "json", handle: introspect },
  { name: "revoke", methods: ["POST"], errors: "json", handle: revoke },
  { name: "end_session", methods: ["GET", "POST"], errors: "page", handle: (s, c, p) => endSession(s, c, p) },
  { name: "email-link-start", methods: ["POST"], errors: "json", handle: (s, c, p) => emailLinkStart(s, c, p) },
  { name: "recover-start", methods: ["POST"], errors: "json", handle: (s, c, p) => recoverStart(s, c, p) },
  { name: "recover-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => recoverFinish(s, c, p) },
  { name: "jwks", methods: ["GET"], errors: "json", handle: async (s, c) => json(await s.keyring.jwks(c.tenant.host)) },
  {
    name: "login-config",
    methods: ["GET"],
    errors: "json",
    handle: async (s, c) => json({ tenant: c.tenant.host, realm: c.tenant.realm, methods: ["password", "passkey", "eu-wallet", ...(emailMethodsOffered(s, c.tenant) ? ["email-link"] : [])] }),
  },
  {
    name: "setup",
    methods: ["POST"],
    errors: "json",
    handle: async (s, c, p) => {
      const tokenValue = p.get("token");
      const username = p.get("username");
      const ha1 = p.get("ha1");
      if (!tokenValue || !username || !ha1) throw new OAuthError("invalid_request", "token, username and ha1 are required.");
      try {
        await completeSetup(s.store, s.keyring, c.tenant.host, tokenValue, username, ha1.toLowerCase());
      } catch (error) {
        if (error instanceof TenantInputError) throw new OAuthError("invalid_request", error.message);
        throw error;
      }
      s.audit.record(c.tenant.host, "setup.completed", { username, ip: c.ip });
      return json({ ok: true, username, login: "/login.html" });
    },
  },
];
