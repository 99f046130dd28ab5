// The sign-in page. The password becomes HA1 here and only the HA1 is posted, together with
// the authorize request the page was handed in `return`. Single sign-on reuses the assertion
// kept in localStorage (never a cookie) unless the relying party asked for a fresh sign-in.
import { loadLoginConfig, postJson, type ApiAnswer, type LoginConfig } from "./lib/api.ts";
import { byId, showMessage } from "./lib/dom.ts";
import { computeHa1 } from "./lib/ha1.ts";
import { redeemEmailLink, takeEmailLinkToken, wireEmailLinkForm } from "./lib/email-link.ts";
import { buildMethodTabs, type MethodTabs } from "./lib/method-tabs.ts";
import { wirePasskeyMethod } from "./lib/passkey-method.ts";
import { redeemWalletReturn, wireWalletMethod } from "./lib/wallet-method.ts";
import { askForSecondFactor, secondFactorChallenge } from "./lib/second-factor.ts";
import { readDevices, readSso, storeDevice, storeSso } from "./lib/sso.ts";

const LOGIN = "/oauth2/v1/login";
const UNAVAILABLE = "Sign-in is unavailable. Try again later.";

const page = new URLSearchParams(location.search);
const returnTo = page.get("return");
const authorize = authorizeParams(returnTo);
const prompt = new Set((authorize.get("prompt") ?? "").split(" ").filter(Boolean));
/** The relying party asked for a passkey sign-in (step-up): offer that method first. */
const PASSKEY_ACR = "urn:sigil:acr:hwk-mfa";
const wantsPasskey = (authorize.get("acr_values") ?? "").split(" ").includes(PASSKEY_ACR);
let methodTabs: MethodTabs | null = null;

const errorRegion = byId("error");
const notice = byId("notice");
const busy = byId("busy");
const chooser = byId("chooser");
const form = byId<HTMLFormElement>("password-form");
const username = byId<HTMLInputElement>("username");
const password = byId<HTMLInputElement>("password");
const submit = byId<HTMLButtonElement>("submit");

function authorizeParams(value: string | null): URLSearchParams {
  if (!value) return new URLSearchParams();
  try {
    return new URL(value, location.origin).searchParams;
  } catch {
    return new URLSearchParams(); // The server rejects it with a description when posted.
  }
}

/** Errors the relying party must hear (the page sends the browser back with them). */
const RETURNED_ERRORS = new Set(["login_required", "unmet_authentication_requirements"]);

/** Follows an answer that sends the browser on: success, prompt=none's login_required, or an acr the account cannot meet. */
function follow(answer: ApiAnswer): boolean {
  const { redirect, sso, device, error } = answer.body;
  if (typeof redirect !== "string") return false;
  if (answer.status === 200) {
    if (typeof sso === "string") storeSso(sso);
    if (typeof device === "string") storeDevice(device);
  } else if (typeof error !== "string" || !RETURNED_ERRORS.has(error)) {
    return false;
  }
  location.replace(redirect);
  return true;
}

function explain(answer: ApiAnswer): string {
  if (answer.status === 429) {
    const seconds = Number.parseInt(answer.retryAfter ?? "", 10);
    if (!(seconds > 0)) return "Too many failed attempts. Try again later.";
    return `Too many failed attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
  }
  if (answer.body.error === "invalid_credentials") return "Wrong username or password.";
  const description = answer.body.error_description;
  return typeof description === "string" && description ? description : "Sign-in failed. Try again.";
}

/** prompt=none must never show a form, so it always asks; prompt=login never reuses a session. */
function wantsSingleSignOn(): boolean {
  if (!returnTo) return false;
  return prompt.has("none") || (readSso() !== null && !prompt.has("login"));
}

/** True when the browser is leaving the page; otherwise the form is needed. */
async function trySingleSignOn(): Promise<boolean> {
  const assertion = readSso();
  try {
    const answer = await postJson(LOGIN, { ...(assertion ? { sso: assertion } : {}), return: returnTo });
    if (follow(answer)) return true;
    // login_required without a redirect just means "sign in": the assertion may still suit other requests.
    if (answer.body.error !== "login_required") showMessage(errorRegion, explain(answer), "error");
  } catch {
    showMessage(errorRegion, UNAVAILABLE, "error");
  }
  return false;
}

async function signInWithPassword(realm: string): Promise<void> {
  showMessage(errorRegion, "", "error");
  const user = username.value.trim();
  if (!user || !password.value) {
    showMessage(errorRegion, "Enter your username and password.", "error");
    (user ? password : username).focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  let formDone = false; // the browser is leaving, or the code step took over
  try {
    const answer = await postJson(LOGIN, { user, ha1: computeHa1(user, realm, password.value), return: returnTo, device: readDevices() });
    formDone = follow(answer);
    if (formDone) return;
    const challenge = secondFactorChallenge(answer);
    if (challenge) {
      // The password was right; it is not needed again unless the second step fails for good.
      password.value = "";
      chooser.hidden = true;
      formDone = true;
      askForSecondFactor(challenge, errorRegion, notice, follow, (message) => {
        chooser.hidden = false;
        submit.disabled = false;
        form.removeAttribute("aria-busy");
        showMessage(errorRegion, message, "error");
        password.focus();
      });
      return;
    }
    showMessage(errorRegion, explain(answer), "error");
    if (answer.body.error === "invalid_credentials") password.value = "";
    // The application asked for a passkey and this account has one: offer it.
    if (answer.body.error === "interaction_required" && methodTabs?.methods.includes("passkey")) {
      password.value = "";
      methodTabs.select("passkey", true);
    }
  } catch {
    showMessage(errorRegion, UNAVAILABLE, "error");
  } finally {
    // While the browser navigates away a second click would post again.
    if (!formDone) {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
      password.focus();
    }
  }
}

function showForm(config: LoginConfig | null): void {
  // Methods that work while shown (passkey autofill in the username field, the wallet's
  // transaction) hear each change of the shown method.
  const listeners: ((method: string) => void)[] = [];
  const tabs = buildMethodTabs(byId("methods"), config?.methods ?? ["password"], (method) => listeners.forEach((listener) => listener(method)));
  methodTabs = tabs;
  if (config && tabs.methods.includes("passkey")) listeners.push(wirePasskeyMethod({ returnTo, errorRegion, follow, explain }));
  if (config && tabs.methods.includes("eu-wallet")) listeners.push(wireWalletMethod({ returnTo, errorRegion, follow, explain }));
  const method = tabs.select(page.get("method") ?? (wantsPasskey ? "passkey" : "password"));
  chooser.hidden = false;
  if (!config) {
    showMessage(errorRegion, UNAVAILABLE, "error");
    submit.disabled = true;
    return;
  }
  if (!method) {
    showMessage(errorRegion, "No sign-in method is available here.", "error");
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!submit.disabled) void signInWithPassword(config.realm);
  });
  if (tabs.methods.includes("email-link")) wireEmailLinkForm(returnTo, errorRegion, notice);
  if (!returnTo) {
    // After a password reset the user arrives here with nothing to complete: say both things.
    const recovered = page.get("recovered") === "1" ? "Your password was changed. " : "";
    showMessage(notice, `${recovered}Start from an application to sign in.`, "info");
    submit.disabled = true;
  }
  const hint = authorize.get("login_hint");
  if (hint && !username.value) username.value = hint;
  if (method === "password") (username.value ? password : username).focus();
}

async function start(): Promise<void> {
  // Single sign-on does not need the configuration: ask both at once to save a round trip.
  const configLoad = loadLoginConfig().catch(() => null);
  void configLoad.then((config) => {
    if (config) byId("tenant-name").textContent = `Sign in to ${config.tenant}`;
  });
  if (page.get("recovered") === "1") showMessage(notice, "Your password was changed. Sign in with the new one.", "info");
  const emailToken = page.get("method") === "email-link" ? takeEmailLinkToken() : null;
  // Back from a wallet on this device: the fragment carries the transaction and its response_code.
  const walletReturn = page.get("method") === "eu-wallet" ? await redeemWalletReturn().catch(() => null) : null;
  if (walletReturn !== null) {
    if (typeof walletReturn === "string") showMessage(errorRegion, walletReturn, "error");
    else if (follow(walletReturn)) return;
    else showMessage(errorRegion, explain(walletReturn), "error");
  } else if (emailToken) {
    busy.hidden = false;
    try {
      const answer = await redeemEmailLink(emailToken, readDevices());
      if (follow(answer)) return;
      const challenge = secondFactorChallenge(answer);
      if (challenge) {
        // The link stood in for the password; this account also asks for its authenticator app.
        busy.hidden = true;
        askForSecondFactor(challenge, errorRegion, notice, follow, (message) => {
          showMessage(errorRegion, `${message} Ask for a new sign-in link, or sign in another way.`, "error");
          void loadLoginConfig().then(showForm, () => showForm(null));
        });
        return;
      }
      showMessage(errorRegion, explain(answer), "error");
    } catch {
      showMessage(errorRegion, UNAVAILABLE, "error");
    }
    busy.hidden = true;
  } else if (wantsSingleSignOn()) {
    busy.hidden = false;
    // Leave "Signing you in…" up while the browser goes back to the application.
    if (await trySingleSignOn()) return;
    busy.hidden = true;
  }
  showForm(await configLoad);
}

void start();
