// Passkey sign-in on the login page, through @simplewebauthn/browser: the server's options in,
// the assertion out, and the server completes the authorization request the challenge belongs to.
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnError } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { postJson, type ApiAnswer } from "./api.ts";

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

/** A sentence for a person from whatever the browser threw. */
export function explainPasskeyError(error: unknown): string {
  const name = error instanceof WebAuthnError ? (error.cause as Error | undefined)?.name ?? error.name : (error as Error)?.name;
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey prompt was closed or timed out. Try again.";
  if (name === "SecurityError") return "Passkeys cannot be used on this address.";
  return "The passkey could not be used. Try again, or use another sign-in method.";
}

/**
 * Runs one passkey ceremony for the pending request. With `autofill` the browser offers the
 * passkey in the username field's suggestions (conditional UI) and this resolves only if one is picked.
 * Resolves null when `stillWanted` says the ceremony is no longer wanted by the time it could start.
 */
export async function signInWithPasskey(returnTo: string, autofill = false, stillWanted: () => boolean = () => true): Promise<ApiAnswer | null> {
  const started = await postJson("/oauth2/v1/passkey-signin-start", { return: returnTo });
  const challengeId = started.body.challenge_id;
  const options = started.body.options as PublicKeyCredentialRequestOptionsJSON | undefined;
  if (started.status !== 200 || typeof challengeId !== "string" || !options) return started;
  // Starting a ceremony aborts the one in progress: a late autofill request must not cancel a prompt the user asked for.
  if (!stillWanted()) return null;
  const credential = await startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
  return postJson("/oauth2/v1/passkey-signin-finish", { challenge_id: challengeId, credential: JSON.stringify(credential) });
}

export async function autofillAvailable(): Promise<boolean> {
  try {
    return await browserSupportsWebAuthnAutofill();
  } catch {
    return false;
  }
}
