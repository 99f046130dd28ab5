import { t } from "elysia";
import type { Params } from "../lib/params.ts";
import type { ParamSchema, RequestContext, Services } from "../context/index.ts";
import { finishRegistration, listPasskeys, removePasskey, renamePasskey, startRegistration } from "./passkeys.ts";
import { profile } from "./profile.ts";
import { renewSso } from "./session.ts";
import { confirmWalletLink, describeWalletLink, finishWalletLink, startWalletLink } from "./wallet.ts";
import { confirmTotp, newRecoveryCodes, removeTotp, startTotpEnrolment } from "./totp.ts";

export interface AccountRoute {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  /** Elysia path; `:name` segments arrive in `pathParams`. */
  path: string;
  /** The body or query it reads; a failure is the account API's `invalid_input`. */
  params: ParamSchema;
  summary: string;
  handle(services: Services, context: RequestContext, authorization: string | null, params: Params, pathParams: Record<string, string>): Promise<Response>;
}

const text = (description?: string) => t.Optional(t.String(description ? { description } : {}));
const none = t.Object({});
const linkAnswer = { transaction_id: text(), response_code: text() };

/** The signed-in user's self-service API, for /account.html; app.ts mounts every route. */
export const ACCOUNT_ROUTES: readonly AccountRoute[] = [
  { method: "GET", path: "/account/v1/me", params: none, summary: "The account: profile, methods, passkeys, second factor.", handle: (s, c, a) => profile(s, c, a) },
  { method: "POST", path: "/account/v1/session/sso", params: none, summary: "Renews the single sign-on assertion.", handle: (s, c, a) => renewSso(s, c, a) },
  { method: "POST", path: "/account/v1/totp/enrolment", params: none, summary: "Starts authenticator-app enrolment: a new secret, not yet active.", handle: (s, c, a) => startTotpEnrolment(s, c, a) },
  { method: "POST", path: "/account/v1/totp/enrolment/confirm", params: t.Object({ code: text() }), summary: "Turns the app on with one correct code; returns recovery codes.", handle: (s, c, a, p) => confirmTotp(s, c, a, p) },
  { method: "POST", path: "/account/v1/totp/recovery-codes", params: none, summary: "Replaces the recovery codes.", handle: (s, c, a) => newRecoveryCodes(s, c, a) },
  { method: "DELETE", path: "/account/v1/totp", params: none, summary: "Turns the authenticator app off.", handle: (s, c, a) => removeTotp(s, c, a) },
  { method: "POST", path: "/account/v1/wallet/link", params: none, summary: "Starts linking an EU Wallet to the account.", handle: (s, c, a) => startWalletLink(s, c, a) },
  { method: "POST", path: "/account/v1/wallet/link/finish", params: t.Object({ transaction_id: text(), page_secret: text() }), summary: "Finishes a wallet link the wallet has answered.", handle: (s, c, a, p) => finishWalletLink(s, c, a, p) },
  // No session: the page the wallet opened, on the wallet's device, confirms a link (relay defence).
  { method: "POST", path: "/account/v1/wallet/link/describe", params: t.Object(linkAnswer), summary: "Which account a wallet link would join (asked on the wallet's device).", handle: (s, c, a, p) => describeWalletLink(s, c, a, p) },
  {
    method: "POST", path: "/account/v1/wallet/link/confirm", params: t.Object({ ...linkAnswer, decision: t.Optional(t.UnionEnum(["link", "cancel"], { default: undefined })) }),
    summary: "Confirms or declines the link on the wallet's device.", handle: (s, c, a, p) => confirmWalletLink(s, c, a, p),
  },
  { method: "GET", path: "/account/v1/passkeys", params: none, summary: "The account's passkeys.", handle: (s, c, a) => listPasskeys(s, c, a) },
  { method: "POST", path: "/account/v1/passkeys/registration", params: none, summary: "WebAuthn registration options.", handle: (s, c, a) => startRegistration(s, c, a) },
  {
    method: "POST", path: "/account/v1/passkeys", params: t.Object({ challenge_id: text(), credential: text("the RegistrationResponseJSON, as JSON"), label: text() }),
    summary: "Verifies the registration and stores the passkey.", handle: (s, c, a, p) => finishRegistration(s, c, a, p),
  },
  { method: "PATCH", path: "/account/v1/passkeys/:id", params: t.Object({ label: text() }), summary: "Renames a passkey.", handle: (s, c, a, p, path) => renamePasskey(s, c, a, p, path.id ?? "") },
  { method: "DELETE", path: "/account/v1/passkeys/:id", params: none, summary: "Removes a passkey.", handle: (s, c, a, _p, path) => removePasskey(s, c, a, path.id ?? "") },
];
