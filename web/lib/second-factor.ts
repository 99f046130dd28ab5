// The second step of a password sign-in for accounts with an authenticator app. The server
// holds the pending login; the page keeps only its ID and posts one code at a time.
import { postJson, type ApiAnswer } from "./api.ts";
import { byId, showMessage } from "./dom.ts";

export interface SecondFactorChallenge {
  pending_login: string;
  methods: string[];
}

type Mode = "code" | "recovery_code" | "email_code";

const LABELS: Record<Mode, { label: string; hint: string; inputMode: string; autocomplete: string }> = {
  code: { label: "Authentication code", hint: "Enter the 6-digit code your authenticator app shows.", inputMode: "numeric", autocomplete: "one-time-code" },
  recovery_code: { label: "Recovery code", hint: "Enter one of the recovery codes you saved. Each works once.", inputMode: "text", autocomplete: "off" },
  email_code: { label: "Code from the email", hint: "Enter the 6-digit code we sent to your email address.", inputMode: "numeric", autocomplete: "one-time-code" },
};

/** Reads the server's request for a second factor out of a login answer, if it is one. */
export function secondFactorChallenge(answer: ApiAnswer): SecondFactorChallenge | null {
  const challenge = answer.body.second_factor as Partial<SecondFactorChallenge> | undefined;
  if (answer.status !== 200 || typeof challenge?.pending_login !== "string" || !Array.isArray(challenge.methods)) return null;
  return { pending_login: challenge.pending_login, methods: challenge.methods };
}

/**
 * Shows the code step. `follow` handles a successful answer (it navigates away);
 * `restart` brings back the password form when the pending login has ended.
 */
export function askForSecondFactor(
  challenge: SecondFactorChallenge, errorRegion: HTMLElement, notice: HTMLElement,
  follow: (answer: ApiAnswer) => boolean, restart: (message: string) => void,
): void {
  const section = byId("second-factor");
  const form = byId<HTMLFormElement>("code-form");
  const input = byId<HTMLInputElement>("code");
  const verify = byId<HTMLButtonElement>("verify-code");
  const useRecovery = byId<HTMLButtonElement>("use-recovery-code");
  const useApp = byId<HTMLButtonElement>("use-app-code");
  const emailCode = byId<HTMLButtonElement>("email-code");
  let mode: Mode = "code";
  let done = false;

  const setMode = (next: Mode) => {
    mode = next;
    const text = LABELS[next];
    byId("code-label").textContent = text.label;
    byId("code-hint").textContent = text.hint;
    input.inputMode = text.inputMode;
    input.autocomplete = text.autocomplete as AutoFill;
    input.value = "";
    useRecovery.hidden = next === "recovery_code";
    useApp.hidden = next === "code";
    input.focus();
  };

  const end = (message: string) => {
    done = true;
    section.hidden = true;
    restart(message);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (done || verify.disabled) return;
    showMessage(errorRegion, "", "error");
    const code = input.value.trim();
    if (!code) return showMessage(errorRegion, `Enter the ${LABELS[mode].label.toLowerCase()}.`, "error");
    verify.disabled = true;
    let leaving = false;
    try {
      const answer = await postJson("/oauth2/v1/login-second-factor", { pending_login: challenge.pending_login, [mode]: code });
      leaving = follow(answer);
      if (leaving) return;
      const description = typeof answer.body.error_description === "string" ? answer.body.error_description : "Verification failed. Try again.";
      if (answer.body.error === "login_required") return end(description);
      showMessage(errorRegion, description, "error");
      input.value = "";
    } catch {
      showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
    } finally {
      if (!leaving) {
        verify.disabled = false;
        input.focus();
      }
    }
  });

  useRecovery.addEventListener("click", () => setMode("recovery_code"));
  useApp.addEventListener("click", () => setMode("code"));
  emailCode.hidden = !challenge.methods.includes("email_code");
  emailCode.addEventListener("click", async () => {
    showMessage(errorRegion, "", "error");
    emailCode.disabled = true;
    try {
      const answer = await postJson("/oauth2/v1/login-email-code", { pending_login: challenge.pending_login });
      if (answer.status === 200) {
        setMode("email_code");
        showMessage(notice, "We sent a code to your email address. It works once, for 10 minutes.", "info");
        return;
      }
      const description = typeof answer.body.error_description === "string" ? answer.body.error_description : "The code could not be sent. Try again later.";
      if (answer.body.error === "login_required") return end(description);
      showMessage(errorRegion, description, "error");
    } catch {
      showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
    } finally {
      emailCode.disabled = false;
    }
  });

  section.hidden = false;
  setMode("code");
}
