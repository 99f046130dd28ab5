import { beginTotpEnrolment, confirmTotpEnrolment, regenerateRecoveryCodes } from "../login/index.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { AccountError } from "./account-error.ts";
import { endOtherSessions, requireCredentialChangeSession } from "./credential-change-session.ts";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/** POST /account/v1/totp/enrolment: a new secret, its otpauth URI and the QR code (SVG) that carries it. */
export async function startTotpEnrolment(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const enrolment = await beginTotpEnrolment(services, user);
  const { default: QRCode } = await import("qrcode");
  const qrSvg = await QRCode.toString(enrolment.uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return json({ secret: enrolment.secret, otpauth_uri: enrolment.uri, qr_svg: qrSvg, expires_in: enrolment.expiresIn });
}

/** POST /account/v1/totp/enrolment/confirm {code}: activates the app; the recovery codes are shown this once. */
export async function confirmTotp(services: Services, context: RequestContext, authorization: string | null, params: Params): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const code = params.get("code");
  if (!code) throw new AccountError("invalid_input", "Enter the 6-digit code your app shows.", 400);
  const result = await confirmTotpEnrolment(services, user, code);
  if (!result.ok) {
    throw result.reason === "wrong_code"
      ? new AccountError("invalid_input", "That code is not right. Check the time on your phone and enter the code your app shows now.", 400)
      : new AccountError("invalid_input", "There is no enrolment waiting, or it expired. Start again.", 400);
  }
  await endOtherSessions(services, user);
  services.audit.record(context.tenant.host, "totp.enrolled", { sub: user.sub, username: user.username, ip: context.ip });
  return json({ recovery_codes: result.recoveryCodes });
}

/** POST /account/v1/totp/recovery-codes: new codes replace all the old ones. */
export async function newRecoveryCodes(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const codes = await regenerateRecoveryCodes(services, user);
  if (!codes) throw new AccountError("invalid_input", "Recovery codes come with an authenticator app; set one up first.", 400);
  await endOtherSessions(services, user);
  services.audit.record(context.tenant.host, "recovery_codes.regenerated", { sub: user.sub, username: user.username, ip: context.ip });
  return json({ recovery_codes: codes });
}

/** DELETE /account/v1/totp: the user turns the authenticator app off (and loses the recovery codes with it). */
export async function removeTotp(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  if (!(await services.store.secondFactors.removeTotp(context.tenant.host, user.sub))) {
    throw new AccountError("not_found", "No authenticator app is set up.", 404);
  }
  await endOtherSessions(services, user);
  services.audit.record(context.tenant.host, "totp.removed", { sub: user.sub, username: user.username, by: "user", ip: context.ip });
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
