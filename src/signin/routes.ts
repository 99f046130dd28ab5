import type { EndpointSpec } from "../context/index.ts";
import { emailLinkStart, emailMethodsOffered } from "./email-link.ts";
import { finishSetup } from "./first-admin.ts";
import { passkeySignInFinish, passkeySignInStart } from "./passkey-sign-in.ts";
import { recoverFinish, recoverStart } from "./recover.ts";
import { emailCodeStart, secondFactorSignIn } from "./second-factor.ts";
import { signIn } from "./sign-in.ts";
import { walletFinish, walletStart } from "./wallet-sign-in.ts";

const json = (body: unknown) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

/** The sign-in page's API, one endpoint per method step; http/ mounts them beside the OIDC endpoints. */
export const SIGNIN_ENDPOINTS: readonly EndpointSpec[] = [
  { name: "login", methods: ["POST"], errors: "json", handle: (s, c, p) => signIn(s, c, p) },
  { name: "login-second-factor", methods: ["POST"], errors: "json", handle: (s, c, p) => secondFactorSignIn(s, c, p) },
  { name: "login-email-code", methods: ["POST"], errors: "json", handle: (s, c, p) => emailCodeStart(s, c, p) },
  { name: "passkey-signin-start", methods: ["POST"], errors: "json", handle: (s, c, p) => passkeySignInStart(s, c, p) },
  { name: "passkey-signin-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => passkeySignInFinish(s, c, p) },
  { name: "wallet-start", methods: ["POST"], errors: "json", handle: (s, c, p) => walletStart(s, c, p) },
  { name: "wallet-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => walletFinish(s, c, p) },
  { name: "email-link-start", methods: ["POST"], errors: "json", handle: (s, c, p) => emailLinkStart(s, c, p) },
  { name: "recover-start", methods: ["POST"], errors: "json", handle: (s, c, p) => recoverStart(s, c, p) },
  { name: "recover-finish", methods: ["POST"], errors: "json", handle: (s, c, p) => recoverFinish(s, c, p) },
  {
    name: "login-config",
    methods: ["GET"],
    errors: "json",
    handle: async (s, c) => json({ tenant: c.tenant.host, realm: c.tenant.realm, methods: ["password", "passkey", "eu-wallet", ...(emailMethodsOffered(s, c.tenant) ? ["email-link"] : [])] }),
  },
  { name: "setup", methods: ["POST"], errors: "json", handle: (s, c, p) => finishSetup(s, c, p) },
];
