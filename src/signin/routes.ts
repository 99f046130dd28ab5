import { t } from "elysia";
import type { EndpointSpec } from "../context/index.ts";
import { emailLinkStart, emailMethodsOffered } from "./email-link.ts";
import { finishSetup } from "./first-admin.ts";
import { offeredMethods } from "./method-offered.ts";
import { passkeySignInFinish, passkeySignInStart } from "./passkey-sign-in.ts";
import { recoverFinish, recoverStart } from "./recover.ts";
import { emailCodeStart, secondFactorSignIn } from "./second-factor.ts";
import { signIn } from "./sign-in.ts";
import { walletFinish, walletStart } from "./wallet-sign-in.ts";

const json = (body: unknown) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

// Declarations: each handler judges its parameters (an unknown pending login is login_required, a
// malformed HA1 fails exactly like a wrong one, so that no answer tells a name exists).
const text = (description?: string) => t.Optional(t.String(description ? { description } : {}));
const ha1 = (description: string) => text(`${description}: 32 lower-case hex digits`);
/** The authorization request the page was opened with (its query string, as /authorize sent it). */
const RETURN = text("the query string /authorize sent the browser to the page with");
const DEVICE = text("the known-device token this browser holds for the account, if any");

/** The sign-in page's API, one endpoint per method step; http/ mounts them beside the OIDC endpoints. */
export const SIGNIN_ENDPOINTS: readonly EndpointSpec[] = [
  {
    name: "login", methods: ["POST"], errors: "json", summary: "Password (user + HA1), single sign-on (sso) or a mailed link (email_token).",
    params: t.Object({ return: RETURN, user: text(), ha1: ha1("MD5(user:realm:password)"), sso: text(), device: DEVICE, email_token: text() }),
    handle: (s, c, p) => signIn(s, c, p),
  },
  {
    name: "login-second-factor", methods: ["POST"], errors: "json", summary: "The second step: one of an app code, a recovery code or an emailed code.",
    params: t.Object({ pending_login: text(), code: text(), recovery_code: text(), email_code: text() }),
    handle: (s, c, p) => secondFactorSignIn(s, c, p),
  },
  { name: "login-email-code", methods: ["POST"], errors: "json", summary: "Mails a one-time code for a pending login.", params: t.Object({ pending_login: text() }), handle: (s, c, p) => emailCodeStart(s, c, p) },
  { name: "passkey-signin-start", methods: ["POST"], errors: "json", summary: "WebAuthn assertion options for a discoverable credential.", params: t.Object({ return: RETURN }), handle: (s, c, p) => passkeySignInStart(s, c, p) },
  {
    name: "passkey-signin-finish", methods: ["POST"], errors: "json", summary: "Verifies the WebAuthn assertion and signs in.",
    params: t.Object({ challenge_id: text(), credential: text("the AuthenticationResponseJSON, as JSON") }),
    handle: (s, c, p) => passkeySignInFinish(s, c, p),
  },
  {
    name: "wallet-start", methods: ["POST"], errors: "json", summary: "Starts an EU Wallet presentation for this sign-in: QR code or same-device link.",
    params: t.Object({ return: RETURN, flow: t.Optional(t.UnionEnum(["cross_device", "same_device", "dc_api"], { default: undefined })) }),
    handle: (s, c, p) => walletStart(s, c, p),
  },
  {
    name: "wallet-finish", methods: ["POST"], errors: "json", summary: "Completes the sign-in once the wallet has answered (202 until then).",
    params: t.Object({ transaction_id: text(), page_secret: text(), response_code: text() }),
    handle: (s, c, p) => walletFinish(s, c, p),
  },
  { name: "email-link-start", methods: ["POST"], errors: "json", summary: "Mails a sign-in link.", params: t.Object({ return: RETURN, email: text() }), handle: (s, c, p) => emailLinkStart(s, c, p) },
  { name: "recover-start", methods: ["POST"], errors: "json", summary: "Mails a password-recovery link.", params: t.Object({ email: text() }), handle: (s, c, p) => recoverStart(s, c, p) },
  {
    name: "recover-finish", methods: ["POST"], errors: "json", summary: "Sets a new password with a recovery link's token.",
    params: t.Object({ token: text(), new_ha1: ha1("the new HA1") }),
    handle: (s, c, p) => recoverFinish(s, c, p),
  },
  {
    name: "login-config",
    methods: ["GET"],
    errors: "json",
    params: t.Object({}),
    summary: "What the sign-in page offers on this tenant.",
    handle: async (s, c) => json({ tenant: c.tenant.host, realm: c.tenant.realm, methods: offeredMethods(c.tenant, emailMethodsOffered(s, c.tenant)) }),
  },
  {
    name: "setup", methods: ["POST"], errors: "json", summary: "The first admin chooses a password with the one-time set-up token.",
    params: t.Object({ token: text(), username: text(), ha1: ha1("the first admin's HA1") }),
    handle: (s, c, p) => finishSetup(s, c, p),
  },
];
