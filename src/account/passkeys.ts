import { finishPasskeyRegistration, startPasskeyRegistration } from "../login/index.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { hasPassword, type Passkey } from "../store/index.ts";
import { AccountError } from "./account-error.ts";
import { requireAccountSession } from "./account-session.ts";
import { endOtherSessions, requireCredentialChangeSession } from "./credential-change-session.ts";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
const rpOf = (context: RequestContext) => ({ rpId: context.tenant.host, origin: context.issuer });

const describe = (passkey: Passkey) => ({
  id: passkey.credentialId, label: passkey.label, created_at: passkey.createdAt, last_used_at: passkey.lastUsedAt,
  backup_eligible: passkey.backupEligible, backed_up: passkey.backedUp, aaguid: passkey.aaguid, transports: passkey.transports,
});

function readLabel(params: Params, fallback: string | null): string {
  const label = (params.get("label") ?? fallback ?? "").trim();
  if (label.length === 0 || label.length > 64 || /[\u0000-\u001f\u007f]/.test(label)) {
    throw new AccountError("invalid_input", "Give the passkey a name of 1 to 64 characters.", 400);
  }
  return label;
}

/** GET /account/v1/passkeys */
export async function listPasskeys(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireAccountSession(services, context, authorization);
  return json({ passkeys: (await services.store.passkeys.listOfUser(context.tenant.host, user.sub)).map(describe) });
}

/** POST /account/v1/passkeys/registration: creation options; the challenge lives server-side under an ID the page holds. */
export async function startRegistration(services: Services, context: RequestContext, authorization: string | null): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const { challengeId, options } = await startPasskeyRegistration(services.store, rpOf(context), user);
  return json({ challenge_id: challengeId, options });
}

/** POST /account/v1/passkeys {challenge_id, credential, label}: verifies the attestation and stores the passkey. */
export async function finishRegistration(services: Services, context: RequestContext, authorization: string | null, params: Params): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const challengeId = params.get("challenge_id");
  const credentialText = params.get("credential");
  if (!challengeId || !credentialText) throw new AccountError("invalid_input", "challenge_id and credential are required.", 400);
  const label = readLabel(params, "Passkey");
  let credential: unknown;
  try {
    credential = JSON.parse(credentialText);
  } catch {
    throw new AccountError("invalid_input", "credential must be the JSON of a WebAuthn registration.", 400);
  }
  const result = await finishPasskeyRegistration(services.store, rpOf(context), user, challengeId, credential, label);
  if (!result.ok) {
    services.audit.record(context.tenant.host, "passkey.registration_failure", { sub: user.sub, reason: result.reason, detail: result.detail, ip: context.ip });
    throw new AccountError("invalid_input", result.reason === "already_registered"
      ? "This passkey is already registered."
      : "The passkey could not be added. Try again.", 400);
  }
  await endOtherSessions(services, user);
  services.audit.record(context.tenant.host, "passkey.registered", {
    sub: user.sub, username: user.username, credential_id: result.passkey.credentialId, aaguid: result.passkey.aaguid, ip: context.ip,
  });
  return json({ passkey: describe(result.passkey) }, 201);
}

/** PATCH /account/v1/passkeys/:id {label} */
export async function renamePasskey(services: Services, context: RequestContext, authorization: string | null, params: Params, id: string): Promise<Response> {
  const { user } = await requireAccountSession(services, context, authorization);
  const label = readLabel(params, null);
  if (!(await services.store.passkeys.rename(context.tenant.host, user.sub, id, label))) throw new AccountError("not_found", "There is no such passkey.", 404);
  services.audit.record(context.tenant.host, "passkey.renamed", { sub: user.sub, credential_id: id, ip: context.ip });
  return json({ ok: true });
}

/** DELETE /account/v1/passkeys/:id: refused when it is the last way this user can sign in. */
export async function removePasskey(services: Services, context: RequestContext, authorization: string | null, id: string): Promise<Response> {
  const { user } = await requireCredentialChangeSession(services, context, authorization);
  const passkeys = await services.store.passkeys.listOfUser(context.tenant.host, user.sub);
  if (!passkeys.some((passkey) => passkey.credentialId === id)) throw new AccountError("not_found", "There is no such passkey.", 404);
  if (passkeys.length === 1 && !hasPassword(user)) {
    throw new AccountError("conflict", "This is your only way to sign in: your account has no password. Add another passkey before removing this one.", 409);
  }
  await services.store.passkeys.remove(context.tenant.host, user.sub, id);
  await endOtherSessions(services, user);
  services.audit.record(context.tenant.host, "passkey.removed", { sub: user.sub, username: user.username, credential_id: id, ip: context.ip });
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
