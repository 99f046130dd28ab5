import type {
  AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeBase64Url, encodeBase64Url } from "../lib/base64url.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import { DuplicateError, type Passkey, type Store, type User } from "../store/index.ts";
import { ACR } from "./acr.ts";
import type { Authentication } from "./authentication.ts";

/**
 * SimpleWebAuthn is loaded on the first ceremony: it is the heaviest module of all, and start-up
 * should not wait for it. It pulls in @peculiar/x509, which needs the Reflect metadata polyfill first.
 */
let webauthnLoading: Promise<typeof import("@simplewebauthn/server")> | null = null;
const webauthn = () => (webauthnLoading ??= import("reflect-metadata").then(() => import("@simplewebauthn/server")));

/** How long a ceremony's challenge lives; the browser's own timeout is the same. */
export const CEREMONY_TTL = 5 * 60;

/** Where the ceremony happens: the tenant's host is the RP ID; the origin is the exact origin the browser used. */
export interface RelyingPartyContext {
  rpId: string;
  origin: string;
}

export type PasskeyFailure =
  | "challenge_unknown" | "credential_unknown" | "user_inactive" | "user_handle_mismatch" | "verification_failed" | "counter_regressed" | "malformed_response";

const userHandleOf = (sub: string) => new TextEncoder().encode(sub);

/** Starts a sign-in: options for any discoverable credential, with a challenge bound to the authorization request. */
export async function startPasskeySignIn(store: Store, rp: RelyingPartyContext, returnTo: string): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({ rpID: rp.rpId, userVerification: "required", timeout: CEREMONY_TTL * 1000 });
  const challengeId = randomId();
  await store.webauthnChallenges.save({
    tenant: rp.rpId, idHash: hashSecret(challengeId), purpose: "signin", challenge: options.challenge, sub: null, returnTo, expiresAt: nowSeconds() + CEREMONY_TTL,
  });
  return { challengeId, options };
}

export type PasskeySignInResult =
  | { ok: true; authentication: Authentication; returnTo: string; user: User; passkey: Passkey }
  | { ok: false; reason: PasskeyFailure; sub: string | null; detail: string };

/**
 * Verifies an assertion: the challenge is taken first (so it is single use whatever follows), then
 * origin, RP ID hash, signature, user verification and counter, through SimpleWebAuthn.
 * @see https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion
 */
export async function finishPasskeySignIn(store: Store, rp: RelyingPartyContext, challengeId: string, response: unknown): Promise<PasskeySignInResult> {
  const now = nowSeconds();
  const challenge = challengeId.length <= 128 ? await store.webauthnChallenges.consume(rp.rpId, hashSecret(challengeId), "signin", now) : null;
  if (!challenge?.returnTo) return { ok: false, reason: "challenge_unknown", sub: null, detail: "no live challenge with that ID" };
  if (!isAssertion(response)) return { ok: false, reason: "malformed_response", sub: null, detail: "not an AuthenticationResponseJSON" };
  const passkey = await store.passkeys.find(rp.rpId, response.id);
  if (!passkey) return { ok: false, reason: "credential_unknown", sub: null, detail: "credential not registered at this tenant" };
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== encodeBase64Url(userHandleOf(passkey.sub))) {
    return { ok: false, reason: "user_handle_mismatch", sub: passkey.sub, detail: "userHandle names another user" };
  }
  const { verifyAuthenticationResponse } = await webauthn();
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpId, requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: decodeBase64Url(passkey.publicKey) as Uint8Array<ArrayBuffer>, counter: passkey.counter, transports: passkey.transports },
    });
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, reason: /counter/i.test(message) ? "counter_regressed" : "verification_failed", sub: passkey.sub, detail: message };
  }
  if (!verified.verified) return { ok: false, reason: "verification_failed", sub: passkey.sub, detail: "signature not verified" };
  const info = verified.authenticationInfo;
  if (!(await store.passkeys.recordUse(rp.rpId, passkey.credentialId, passkey.counter, info.newCounter, info.credentialBackedUp, now))) {
    return { ok: false, reason: "counter_regressed", sub: passkey.sub, detail: "counter did not advance (concurrent use or clone)" };
  }
  const user = await store.users.findBySub(rp.rpId, passkey.sub);
  if (!user || user.disabled || user.role === "siponly") return { ok: false, reason: "user_inactive", sub: passkey.sub, detail: "user missing, disabled or SIP-only" };
  return {
    ok: true, user, passkey, returnTo: challenge.returnTo,
    // RFC 8176: hwk (proof of possession of a hardware-bound key) and user (user verification by the authenticator).
    authentication: { tenant: rp.rpId, sub: user.sub, amr: ["hwk", "user"], acr: ACR.passkey, authTime: now, claims: {} },
  };
}

/** Options to register a new passkey for a signed-in user; their existing passkeys are excluded. */
export async function startPasskeyRegistration(store: Store, rp: RelyingPartyContext, user: User): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await store.passkeys.listOfUser(rp.rpId, user.sub);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: rp.rpId, rpID: rp.rpId, userName: user.username, userDisplayName: user.name ?? user.username, userID: userHandleOf(user.sub),
    attestationType: "none", timeout: CEREMONY_TTL * 1000,
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
  const challengeId = randomId();
  await store.webauthnChallenges.save({
    tenant: rp.rpId, idHash: hashSecret(challengeId), purpose: "register", challenge: options.challenge, sub: user.sub, returnTo: null, expiresAt: nowSeconds() + CEREMONY_TTL,
  });
  return { challengeId, options };
}

export type PasskeyRegistrationResult = { ok: true; passkey: Passkey } | { ok: false; reason: PasskeyFailure | "already_registered"; detail: string };

/** Verifies an attestation (format none or self) and stores the credential with its label. */
export async function finishPasskeyRegistration(
  store: Store, rp: RelyingPartyContext, user: User, challengeId: string, response: unknown, label: string,
): Promise<PasskeyRegistrationResult> {
  const now = nowSeconds();
  const challenge = challengeId.length <= 128 ? await store.webauthnChallenges.consume(rp.rpId, hashSecret(challengeId), "register", now) : null;
  if (!challenge || challenge.sub !== user.sub) return { ok: false, reason: "challenge_unknown", detail: "no live registration challenge for this user" };
  if (!isAttestation(response)) return { ok: false, reason: "malformed_response", detail: "not a RegistrationResponseJSON" };
  const { verifyRegistrationResponse } = await webauthn();
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge.challenge, expectedOrigin: rp.origin, expectedRPID: rp.rpId, requireUserVerification: true });
  } catch (error) {
    return { ok: false, reason: "verification_failed", detail: (error as Error).message };
  }
  if (!verified.verified) return { ok: false, reason: "verification_failed", detail: "attestation not verified" };
  const info = verified.registrationInfo;
  const passkey: Passkey = {
    tenant: rp.rpId, credentialId: info.credential.id, sub: user.sub, publicKey: encodeBase64Url(info.credential.publicKey), counter: info.credential.counter,
    transports: response.response.transports ?? [], backupEligible: info.credentialDeviceType === "multiDevice", backedUp: info.credentialBackedUp,
    aaguid: info.aaguid, label, createdAt: now, lastUsedAt: null,
  };
  try {
    await store.passkeys.add(passkey);
  } catch (error) {
    if (error instanceof DuplicateError) return { ok: false, reason: "already_registered", detail: "credential ID already registered" };
    throw error;
  }
  return { ok: true, passkey };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function isAssertion(value: unknown): value is AuthenticationResponseJSON {
  return isObject(value) && typeof value.id === "string" && value.id.length <= 1366 && value.type === "public-key" && isObject(value.response)
    && typeof value.response.clientDataJSON === "string" && typeof value.response.authenticatorData === "string" && typeof value.response.signature === "string";
}

function isAttestation(value: unknown): value is RegistrationResponseJSON {
  return isObject(value) && typeof value.id === "string" && value.id.length <= 1366 && value.type === "public-key" && isObject(value.response)
    && typeof value.response.clientDataJSON === "string" && typeof value.response.attestationObject === "string";
}
