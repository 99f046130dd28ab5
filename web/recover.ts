// Self-service password recovery. Without a token: ask for the address (the answer is the
// same whether or not it belongs to anyone). With the mailed token in the fragment: choose a
// new password, hashed here into HA1 with the username the token carries; only HA1 is sent.
import { loadLoginConfig, postJson } from "./lib/api.ts";
import { byId, showMessage } from "./lib/dom.ts";
import { computeHa1 } from "./lib/ha1.ts";

const errorRegion = byId("error");
const done = byId("done");
const token = new URLSearchParams(location.hash.slice(1)).get("token");

function usernameIn(jwt: string): string | null {
  try {
    const payload = JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { preferred_username?: unknown };
    return typeof payload.preferred_username === "string" ? payload.preferred_username : null;
  } catch {
    return null;
  }
}

const describe = (body: Record<string, unknown>, fallback: string) => (typeof body.error_description === "string" ? body.error_description : fallback);

if (!token) {
  const form = byId<HTMLFormElement>("request-form");
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorRegion.textContent = "";
    const email = byId<HTMLInputElement>("email").value.trim();
    if (!email.includes("@")) return showMessage(errorRegion, "Enter an email address.", "error");
    const answer = await postJson("/oauth2/v1/recover-start", { email }).catch(() => null);
    if (!answer) return showMessage(errorRegion, "Sigil is unavailable. Try again later.", "error");
    if (answer.status === 200) {
      form.hidden = true;
      return showMessage(done, String(answer.body.message ?? "Check your mail."), "info");
    }
    showMessage(errorRegion, describe(answer.body, "That did not work. Try again later."), "error");
  });
} else {
  const username = usernameIn(token);
  const form = byId<HTMLFormElement>("reset-form");
  if (!username) {
    showMessage(errorRegion, "This reset link is damaged. Ask for a new one.", "error");
  } else {
    byId("reset-username").textContent = username;
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      errorRegion.textContent = "";
      const password = byId<HTMLInputElement>("password").value;
      if (password.length < 8) return showMessage(errorRegion, "Use at least 8 characters.", "error");
      if (password !== byId<HTMLInputElement>("confirm").value) return showMessage(errorRegion, "The two passwords differ.", "error");
      const config = await loadLoginConfig().catch(() => null);
      const answer = config ? await postJson("/oauth2/v1/recover-finish", { token, new_ha1: computeHa1(username, config.realm, password) }).catch(() => null) : null;
      if (!answer) return showMessage(errorRegion, "Sigil is unavailable. Try again later.", "error");
      if (answer.status === 200 && typeof answer.body.redirect === "string" && answer.body.redirect.startsWith("/")) {
        location.replace(answer.body.redirect);
        return;
      }
      showMessage(errorRegion, describe(answer.body, "The new password was not saved."), "error");
    });
  }
}
