// The account page signs in through the tenant's own authorization endpoint as the built-in
// public client `sigil-account` (code flow with PKCE), and keeps the access token in
// sessionStorage: a session that ends with the tab, and no cookie.
import { showPasskeySection } from "./lib/account-passkeys.ts";
import { showTotpSection, type TotpState } from "./lib/account-totp.ts";
import { showWalletSection } from "./lib/account-wallet.ts";
import { whenReauthenticationIsNeeded } from "./lib/account-api.ts";
import { byId, showMessage } from "./lib/dom.ts";

const CLIENT_ID = "sigil-account";
const SESSION = "sigil.account.session";
const PENDING = "sigil.account.pending";
const redirectUri = `${location.origin}/account.html`;
const errorRegion = byId("error");
const notice = byId("notice");

interface Session {
  accessToken: string;
  idToken: string;
  expiresAt: number;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

function readSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION) ?? "null") as Session | null;
    return session && session.expiresAt > Date.now() + 30_000 ? session : null;
  } catch {
    return null;
  }
}

/** Signs in through the tenant's authorization endpoint; `extra` asks for a fresh and strong enough sign-in. */
async function startSignIn(extra: Record<string, string> = {}): Promise<void> {
  const verifier = random();
  const state = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: "code", scope: "openid profile email",
    state, code_challenge: challenge, code_challenge_method: "S256", ...extra,
  });
  location.assign(`/oauth2/v1/authorize?${query}`);
}

/** Back from the authorization endpoint: check state, exchange the code, forget the query. */
async function finishSignIn(params: URLSearchParams): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, "", "/account.html");
  if (params.has("error")) throw new Error(params.get("error_description") ?? "Sign-in was not completed.");
  if (!pending || params.get("state") !== pending.state) throw new Error("This sign-in answer does not belong to this tab. Try again.");
  const response = await fetch("/oauth2/v1/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    credentials: "omit",
    body: new URLSearchParams({ grant_type: "authorization_code", code: params.get("code") ?? "", redirect_uri: redirectUri, client_id: CLIENT_ID, code_verifier: pending.verifier }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(body.error_description ?? "Sign-in failed.");
  const session = { accessToken: body.access_token, idToken: body.id_token ?? "", expiresAt: Date.now() + (body.expires_in ?? 0) * 1000 };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  return session;
}

async function showProfile(session: Session): Promise<void> {
  const response = await fetch("/account/v1/me", { headers: { Authorization: `Bearer ${session.accessToken}` }, credentials: "omit" });
  if (response.status === 401) {
    sessionStorage.removeItem(SESSION);
    return startSignIn();
  }
  const me = (await response.json()) as { username: string; name: string | null; email: string | null; role: string; totp: TotpState; wallets_linked: number; error?: { message: string } };
  if (!response.ok) throw new Error(me.error?.message ?? "Your account could not be loaded.");
  byId("profile-username").textContent = me.username;
  byId("profile-name").textContent = me.name ?? "—";
  byId("profile-email").textContent = me.email ?? "—";
  byId("profile-role").textContent = me.role;
  // Only a convenience: the admin API itself refuses anyone who is not an admin.
  byId("admin-link").hidden = me.role !== "admin";
  byId("busy").hidden = true;
  byId("profile").hidden = false;
  await showPasskeySection(session.accessToken, errorRegion, notice);
  showWalletSection(session.accessToken, me.wallets_linked, errorRegion, notice);
  showTotpSection(session.accessToken, me.totp, errorRegion, notice);
  byId("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(SESSION);
    const query = new URLSearchParams({ id_token_hint: session.idToken, post_logout_redirect_uri: redirectUri });
    location.assign(`/oauth2/v1/end_session?${query}`);
  });
}

// A change of how the account signs in needs a recent sign-in as strong as its strongest credential.
whenReauthenticationIsNeeded(({ acrValues }) => {
  showMessage(notice, "Confirm it is you: you are taken to sign in again.", "info");
  sessionStorage.removeItem(SESSION);
  setTimeout(() => void startSignIn({ prompt: "login", acr_values: acrValues }), 1500);
});

async function start(): Promise<void> {
  try {
    const params = new URLSearchParams(location.search);
    const session = params.has("code") || params.has("error") ? await finishSignIn(params) : readSession();
    if (!session) return startSignIn();
    await showProfile(session);
  } catch (error) {
    byId("busy").hidden = true;
    showMessage(errorRegion, (error as Error).message, "error");
  }
}

void start();
