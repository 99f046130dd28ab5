// The "Email me a sign-in link" method: ask for a link for the pending request, and redeem a
// link this page was opened with (its token arrives in the fragment, never sent in a request line).
import { postJson, type ApiAnswer } from "./api.ts";
import { byId, showMessage } from "./dom.ts";

/** The token of a mailed link, taken out of the address so a reload or the history cannot reuse it. */
export function takeEmailLinkToken(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) history.replaceState(null, "", location.pathname + location.search);
  return token;
}

export function redeemEmailLink(token: string, devices: string | undefined): Promise<ApiAnswer> {
  return postJson("/oauth2/v1/login", { email_token: token, device: devices });
}

/** Wires the form; without a pending request there is nothing a link could complete. */
export function wireEmailLinkForm(returnTo: string | null, errorRegion: HTMLElement, notice: HTMLElement): void {
  const form = byId<HTMLFormElement>("email-link-form");
  const button = byId<HTMLButtonElement>("send-link");
  if (!returnTo) {
    button.disabled = true;
    return;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showMessage(errorRegion, "", "error");
    const email = byId<HTMLInputElement>("email").value.trim();
    if (!email.includes("@")) return showMessage(errorRegion, "Enter the email address of your account.", "error");
    button.disabled = true;
    try {
      const answer = await postJson("/oauth2/v1/email-link-start", { email, return: returnTo });
      if (answer.status === 200) {
        form.hidden = true;
        return showMessage(notice, String(answer.body.message ?? "Check your mail."), "info");
      }
      const description = answer.body.error_description;
      showMessage(errorRegion, typeof description === "string" ? description : "The link could not be sent. Try again later.", "error");
    } catch {
      showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
    } finally {
      button.disabled = false;
    }
  });
}
