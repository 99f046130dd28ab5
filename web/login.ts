// The sign-in page: computes HA1 in the browser, posts it with the authorize request it was
// handed in `return`, and follows the redirect. Single sign-on reuses the assertion kept in
// localStorage unless the relying party asked for a fresh sign-in.
import { loadLoginConfig, postJson, showMessage, type ApiAnswer, type LoginConfig } from "./lib/api.ts";
import { computeHa1 } from "./lib/ha1.ts";
import { clearSso, readSso, storeSso } from "./lib/sso.ts";

const LOGIN = "/oauth2/v1/login";
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const page = new URLSearchParams(location.search);
const returnTo = page.get("return");
const authorizeParams = returnTo ? new URL(returnTo, location.origin).searchParams : new URLSearchParams();
const prompt = new Set((authorizeParams.get("prompt") ?? "").split(" ").filter(Boolean));

const errorRegion = byId<HTMLElement>("error");
const noticeRegion = byId<HTMLElement>("notice");
const busy = byId<HTMLElement>("busy");
const chooser = byId<HTMLElement>("chooser");
const form = byId<HTMLFormElement>("password-form");
const username = byId<HTMLInputElement>("username");
const password = byId<HTMLInputElement>("password");
const submit = byId<HTMLButtonElement>("submit");

/** Selects a method's panel; unknown methods fall back to the password. */
function selectMethod(method: string): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>("[role=tab][data-method]")];
  const chosen = tabs.find((tab) => tab.dataset.method === method && !tab.hidden) ?? tabs[0];
  for (const tab of tabs) {
    const selected = tab === chosen;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
    if (panel) panel.hidden = !selected;
  }
}

function showForm(): void {
  busy.hidden = true;
  chooser.hidden = false;
  selectMethod(page.get("method") ?? "password");
  const hint = authorizeParams.get("login_hint");
  if (hint && !username.value) username.value = hint;
  (username.value ? password : username).focus();
}

/** Follows a successful answer: keep the new assertion, then go back to the relying party. */
function follow(answer: ApiAnswer): boolean {
  const redirect = answer.body.redirect;
  if (typeof answer.body.sso === "string") storeSso(answer.body.sso);
  if (typeof redirect !== "string") return false;
  location.replace(redirect);
  return true;
}

function explain(answer: ApiAnswer): string {
  if (answer.status === 429) {
    const seconds = Number(answer.retryAfter);
    return `Too many failed attempts. Try again in ${Number.isFinite(seconds) && seconds > 0 ? seconds : 60} seconds.`;
  }
  if (answer.body.error === "invalid_credentials") return "Wrong username or password.";
  const description = answer.body.error_description;
  return typeof description === "string" ? description : "Sign-in failed. Try again.";
}

/** Tries single sign-on first (always for prompt=none, which must never show a form). */
async function trySingleSignOn(): Promise<boolean> {
  const assertion = readSso();
  if (!prompt.has("none") && (!assertion || prompt.has("login"))) return false;
  busy.hidden = false;
  try {
    const answer = await postJson(LOGIN, { ...(assertion ? { sso: assertion } : {}), return: returnTo });
    if (answer.status === 200 && follow(answer)) return true;
    // prompt=none without a usable session: the relying party receives login_required.
    if (typeof answer.body.redirect === "string") return follow(answer);
    if (answer.body.error === "login_required") {
      if (assertion) clearSso();
      return false;
    }
    showMessage(errorRegion, explain(answer), "error");
    return false;
  } catch {
    showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
    return false;
  } finally {
    busy.hidden = true;
  }
}

async function signInWithPassword(config: LoginConfig): Promise<void> {
  errorRegion.textContent = "";
  const user = username.value.trim();
  if (!user || !password.value) {
    showMessage(errorRegion, "Enter your username and password.", "error");
    (user ? password : username).focus();
    return;
  }
  submit.disabled = true;
  try {
    const answer = await postJson(LOGIN, { user, ha1: computeHa1(user, config.realm, password.value), return: returnTo });
    if (answer.status === 200 && follow(answer)) return;
    showMessage(errorRegion, explain(answer), "error");
    password.value = "";
    password.focus();
  } catch {
    showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
  } finally {
    submit.disabled = false;
  }
}

async function start(): Promise<void> {
  let config: LoginConfig;
  try {
    config = await loadLoginConfig();
  } catch {
    showForm();
    submit.disabled = true;
    showMessage(errorRegion, "Sign-in is unavailable. Try again later.", "error");
    return;
  }
  byId<HTMLElement>("tenant-name").textContent = `Sign in to ${config.tenant}`;
  for (const tab of document.querySelectorAll<HTMLButtonElement>("[role=tab][data-method]")) {
    tab.hidden = !config.methods.includes(tab.dataset.method ?? "");
    tab.addEventListener("click", () => selectMethod(tab.dataset.method ?? "password"));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void signInWithPassword(config);
  });
  if (page.get("recovered") === "1") showMessage(noticeRegion, "Your password was changed. Sign in with the new one.", "info");
  if (!returnTo) {
    showForm();
    submit.disabled = true;
    showMessage(noticeRegion, "Start from an application to sign in.", "info");
    return;
  }
  if (await trySingleSignOn()) return;
  showForm();
}

void start();
