// First-admin set-up: the one-time token arrives in the URL fragment (which no request carries,
// so no server log holds it), the password becomes HA1 here, and only the HA1 is posted.
import { loadLoginConfig, postJson } from "./lib/api.ts";
import { byId, showMessage } from "./lib/dom.ts";
import { computeHa1 } from "./lib/ha1.ts";

const MIN_LENGTH = 8;
const NO_TOKEN = "This page needs the set-up link that Sigil printed when it started.";

const form = byId<HTMLFormElement>("setup-form");
const username = byId<HTMLInputElement>("username");
const password = byId<HTMLInputElement>("password");
const confirm = byId<HTMLInputElement>("confirm");
const submit = byId<HTMLButtonElement>("submit");
const errorRegion = byId("error");
const done = byId("done");
const token = new URLSearchParams(location.hash.slice(1)).get("token");
// The realm is needed only at submit time; asking now hides the round trip.
const configLoad = loadLoginConfig();
configLoad.catch(() => undefined);

/** Shows a problem and puts the cursor where it can be fixed. */
function reject(text: string, field?: HTMLInputElement): void {
  showMessage(errorRegion, text, "error");
  field?.focus();
}

/** The first admin's next stop is the admin console, which signs them in through the tenant's own sign-in page. */
function succeed(name: string): void {
  form.hidden = true;
  history.replaceState(null, "", location.pathname); // The token is spent: drop it from the address bar.
  showMessage(done, `${name} can now sign in. `, "info");
  const link = document.createElement("a");
  link.href = "/admin/";
  link.textContent = "Open the admin console";
  done.append(link);
  link.focus();
}

async function setPassword(): Promise<void> {
  showMessage(errorRegion, "", "error");
  const name = username.value.trim();
  if (!token) return reject(NO_TOKEN);
  if (!name) return reject("Choose a username.", username);
  if (password.value.length < MIN_LENGTH) return reject(`The password needs at least ${MIN_LENGTH} characters.`, password);
  if (password.value !== confirm.value) return reject("The two passwords do not match.", confirm);
  submit.disabled = true;
  try {
    const { realm } = await configLoad;
    const answer = await postJson("/oauth2/v1/setup", { token, username: name, ha1: computeHa1(name, realm, password.value) });
    if (answer.status === 200 && answer.body.ok === true) {
      succeed(typeof answer.body.username === "string" ? answer.body.username : name);
      return;
    }
    const description = answer.body.error_description;
    reject(typeof description === "string" && description ? description : "Set-up failed.");
  } catch {
    reject("Sigil is unavailable. Try again later.");
  } finally {
    submit.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!submit.disabled) void setPassword();
});

// A set-up link pasted into this tab changes only the fragment, which reloads nothing by itself.
addEventListener("hashchange", () => location.reload());

if (token) {
  password.focus();
} else {
  reject(NO_TOKEN);
  submit.disabled = true;
}
