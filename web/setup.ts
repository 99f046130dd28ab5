// First-admin set-up: the token arrives in the URL fragment (never sent to any server log),
// the password is turned into HA1 here, and only the HA1 is posted.
import { loadLoginConfig, postJson, showMessage } from "./lib/api.ts";
import { computeHa1 } from "./lib/ha1.ts";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>("setup-form");
const errorRegion = byId<HTMLElement>("error");
const done = byId<HTMLElement>("done");
const token = new URLSearchParams(location.hash.slice(1)).get("token");

if (!token) showMessage(errorRegion, "This page needs the set-up link that Sigil printed when it started.", "error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorRegion.textContent = "";
  const username = byId<HTMLInputElement>("username").value.trim();
  const password = byId<HTMLInputElement>("password").value;
  const confirm = byId<HTMLInputElement>("confirm").value;
  if (!token) return showMessage(errorRegion, "This page needs the set-up link that Sigil printed when it started.", "error");
  if (!username) return showMessage(errorRegion, "Choose a username.", "error");
  if (password.length < 8) return showMessage(errorRegion, "Use at least 8 characters.", "error");
  if (password !== confirm) return showMessage(errorRegion, "The two passwords differ.", "error");
  const submit = byId<HTMLButtonElement>("submit");
  submit.disabled = true;
  try {
    const { realm } = await loadLoginConfig();
    const answer = await postJson("/oauth2/v1/setup", { token, username, ha1: computeHa1(username, realm, password) });
    if (answer.status === 200) {
      form.hidden = true;
      done.textContent = `The admin ${username} can now sign in. `;
      const link = document.createElement("a");
      link.href = "/login.html";
      link.textContent = "Go to sign-in";
      done.append(link);
      done.className = "message info";
      history.replaceState(null, "", location.pathname);
      return;
    }
    const description = answer.body.error_description;
    showMessage(errorRegion, typeof description === "string" ? description : "Set-up failed.", "error");
  } catch {
    showMessage(errorRegion, "Sigil is unavailable. Try again later.", "error");
  } finally {
    submit.disabled = false;
  }
});
