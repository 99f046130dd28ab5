// The login page's passkey method: the "Continue with a passkey" button, and passkey autofill
// (conditional UI) in the username field while the password form is the one shown.
import { WebAuthnAbortService } from "@simplewebauthn/browser";
import type { ApiAnswer } from "./api.ts";
import { byId, showMessage } from "./dom.ts";
import { autofillAvailable, explainPasskeyError, passkeysSupported, signInWithPasskey } from "./passkey.ts";

export interface PasskeyMethodHooks {
  returnTo: string | null;
  errorRegion: HTMLElement;
  /** Sends the browser on for an answer that completes the request; false when it did not. */
  follow(answer: ApiAnswer): boolean;
  explain(answer: ApiAnswer): string;
}

/** Wires the button; returns the handler the method tabs call with each method shown. */
export function wirePasskeyMethod(hooks: PasskeyMethodHooks): (method: string) => void {
  const { returnTo, errorRegion } = hooks;
  const button = byId<HTMLButtonElement>("passkey-signin");
  let shown = "";
  /** The prompt the user asked for is open: an autofill request must not start, it would cancel the prompt. */
  let promptOpen = false;
  let autofillRunning = false;

  const report = (answer: ApiAnswer | null) => {
    if (answer && !hooks.follow(answer)) showMessage(errorRegion, hooks.explain(answer), "error");
  };

  async function offerAutofill(): Promise<void> {
    if (!returnTo || autofillRunning || promptOpen) return;
    autofillRunning = true;
    try {
      if (!(await autofillAvailable())) return;
      report(await signInWithPasskey(returnTo, true, () => shown === "password" && !promptOpen));
    } catch {
      // Cancelled (another method shown, or the button's own prompt) or dismissed: nothing to say.
    } finally {
      autofillRunning = false;
    }
  }

  if (!passkeysSupported()) {
    button.disabled = true;
    button.textContent = "This browser cannot use passkeys";
    return () => {};
  }
  if (!returnTo) button.disabled = true;

  button.addEventListener("click", async () => {
    if (!returnTo || button.disabled) return;
    promptOpen = true;
    showMessage(errorRegion, "", "error");
    button.disabled = true;
    try {
      report(await signInWithPasskey(returnTo));
    } catch (error) {
      showMessage(errorRegion, explainPasskeyError(error), "error");
    } finally {
      button.disabled = false;
      promptOpen = false;
    }
  });

  return (method) => {
    shown = method;
    if (method === "password") void offerAutofill();
    else if (autofillRunning && !promptOpen) WebAuthnAbortService.cancelCeremony();
  };
}
