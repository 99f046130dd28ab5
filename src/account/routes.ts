import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { finishRegistration, listPasskeys, removePasskey, renamePasskey, startRegistration } from "./passkeys.ts";
import { profile } from "./profile.ts";
import { renewSso } from "./session.ts";
import { confirmWalletLink, describeWalletLink, finishWalletLink, startWalletLink } from "./wallet.ts";
import { confirmTotp, newRecoveryCodes, removeTotp, startTotpEnrolment } from "./totp.ts";

export interface AccountRoute {
  method: "GET" | "POST" | "DELETE" | "PATCH";
  /** Elysia path; `:name` segments arrive in `pathParams`. */
  path: string;
  handle(services: Services, context: RequestContext, authorization: string | null, params: Params, pathParams: Record<string, string>): Promise<Response>;
}

/** The signed-in user's self-service API, for /account.html; app.ts mounts every route. */
export const ACCOUNT_ROUTES: readonly AccountRoute[] = [
  { method: "GET", path: "/account/v1/me", handle: (s, c, a) => profile(s, c, a) },
  { method: "POST", path: "/account/v1/session/sso", handle: (s, c, a) => renewSso(s, c, a) },
  { method: "POST", path: "/account/v1/totp/enrolment", handle: (s, c, a) => startTotpEnrolment(s, c, a) },
  { method: "POST", path: "/account/v1/totp/enrolment/confirm", handle: (s, c, a, p) => confirmTotp(s, c, a, p) },
  { method: "POST", path: "/account/v1/totp/recovery-codes", handle: (s, c, a) => newRecoveryCodes(s, c, a) },
  { method: "DELETE", path: "/account/v1/totp", handle: (s, c, a) => removeTotp(s, c, a) },
  { method: "POST", path: "/account/v1/wallet/link", handle: (s, c, a) => startWalletLink(s, c, a) },
  { method: "POST", path: "/account/v1/wallet/link/finish", handle: (s, c, a, p) => finishWalletLink(s, c, a, p) },
  // No session: the page the wallet opened, on the wallet's device, confirms a link (relay defence).
  { method: "POST", path: "/account/v1/wallet/link/describe", handle: (s, c, a, p) => describeWalletLink(s, c, a, p) },
  { method: "POST", path: "/account/v1/wallet/link/confirm", handle: (s, c, a, p) => confirmWalletLink(s, c, a, p) },
  { method: "GET", path: "/account/v1/passkeys", handle: (s, c, a) => listPasskeys(s, c, a) },
  { method: "POST", path: "/account/v1/passkeys/registration", handle: (s, c, a) => startRegistration(s, c, a) },
  { method: "POST", path: "/account/v1/passkeys", handle: (s, c, a, p) => finishRegistration(s, c, a, p) },
  { method: "PATCH", path: "/account/v1/passkeys/:id", handle: (s, c, a, p, path) => renamePasskey(s, c, a, p, path.id ?? "") },
  { method: "DELETE", path: "/account/v1/passkeys/:id", handle: (s, c, a, _p, path) => removePasskey(s, c, a, path.id ?? "") },
];
