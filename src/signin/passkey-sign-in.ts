import { finishPasskeySignIn, startPasskeySignIn } from "../login/index.ts";
import { refuseUnlessOffered } from "./method-offered.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { admitStart } from "./admit-start.ts";
import { parseReturn } from "./parse-return.ts";
import { refuseIfRateLimited } from "./attempt-limits.ts";
import { completeFreshSignIn } from "./complete-sign-in.ts";

const rpOf = (context: RequestContext) => ({ rpId: context.tenant.host, origin: context.issuer });

/** passkey-signin-start: WebAuthn request options whose challenge is bound to the pending authorization request. */
export async function passkeySignInStart(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "passkey");
  const returnTo = params.get("return");
  await parseReturn(services, context, returnTo);
  await admitStart(services, context, "passkey");
  const { challengeId, options } = await startPasskeySignIn(services.store, rpOf(context), returnTo!);
  return Response.json({ challenge_id: challengeId, options }, { headers: { "Cache-Control": "no-store" } });
}

/**
 * passkey-signin-finish: verifies the assertion and completes the authorization request the
 * challenge was bound to, exactly as a password sign-in does. Any failure is a 4xx JSON error
 * and an audit line naming the check; nothing is minted.
 */
export async function passkeySignInFinish(services: Services, context: RequestContext, params: Params): Promise<Response> {
  refuseUnlessOffered(context.tenant, "passkey");
  const challengeId = params.get("challenge_id");
  const credential = params.get("credential");
  if (!challengeId || !credential) throw new OAuthError("invalid_request", "challenge_id and credential are required.");
  await refuseIfRateLimited(services, context);
  let response: unknown;
  try {
    response = JSON.parse(credential);
  } catch {
    throw new OAuthError("invalid_request", "credential must be the JSON of a WebAuthn assertion.");
  }
  const result = await finishPasskeySignIn(services.store, rpOf(context), challengeId, response);
  if (!result.ok) {
    await services.loginFailures.record(context.ip);
    services.audit.record(context.tenant.host, "passkey.signin_failure", { reason: result.reason, detail: result.detail, sub: result.sub, ip: context.ip });
    const description = result.reason === "challenge_unknown"
      ? "This passkey prompt expired or was already used. Try again."
      : "The passkey was not accepted. Try again, or use another sign-in method.";
    throw new OAuthError("invalid_grant", description, { status: 400, internal: `${result.reason}: ${result.detail}` });
  }
  const request = await parseReturn(services, context, result.returnTo);
  return completeFreshSignIn(services, context, request, result.authentication, {
    method: "passkey", username: result.user.username, credential_id: result.passkey.credentialId,
  });
}
