// The console signs in through the tenant's own authorization endpoint as the built-in public
// client `sigil-admin` (code flow with PKCE, redirect URI <issuer>/admin/) and keeps the access
// token in sessionStorage: a session that ends with the tab, and no cookie. Whether the user is
// an admin is not decided here: the admin API answers 403 to anyone else.

const CLIENT_ID = "sigil-admin";
const SESSION = "sigil.admin.session";
const PENDING = "sigil.admin.pending";
export const CONSOLE_PATH = "/admin/";
const redirectUri = () => `${location.origin}${CONSOLE_PATH}`;

export interface AdminSession {
  accessToken: string;
  idToken: string;
  expiresAt: number;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

export function readSession(): AdminSession | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION) ?? "null") as AdminSession | null;
    return session && session.expiresAt > Date.now() + 30_000 ? session : null;
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  sessionStorage.removeItem(SESSION);
}

/** Leaves for the tenant's sign-in; `extra` may ask for a fresh sign-in (prompt=login). */
export async function startSignIn(extra: Record<string, string> = {}): Promise<void> {
  const verifier = random();
  const state = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: redirectUri(), response_type: "code", scope: "openid profile",
    state, code_challenge: challenge, code_challenge_method: "S256", ...extra,
  });
  location.assign(`/oauth2/v1/authorize?${params}`);
}

/** Back from the authorization endpoint: check state, exchange the code, drop the code from the address bar. */
export async function finishSignIn(params: URLSearchParams): Promise<AdminSession> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null") as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, "", CONSOLE_PATH);
  if (params.has("error")) throw new Error(params.get("error_description") ?? "Sign-in was not completed.");
  if (!pending || params.get("state") !== pending.state) throw new Error("This sign-in answer does not belong to this tab. Reload to sign in again.");
  const response = await fetch("/oauth2/v1/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    credentials: "omit",
    body: new URLSearchParams({ grant_type: "authorization_code", code: params.get("code") ?? "", redirect_uri: redirectUri(), client_id: CLIENT_ID, code_verifier: pending.verifier }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(body.error_description ?? "Sign-in failed.");
  const session = { accessToken: body.access_token, idToken: body.id_token ?? "", expiresAt: Date.now() + (body.expires_in ?? 0) * 1000 };
  sessionStorage.setItem(SESSION, JSON.stringify(session));
  return session;
}

/** Ends the console's session and the single sign-on at the provider, then comes back here. */
export function signOut(session: AdminSession): void {
  forgetSession();
  const params = new URLSearchParams({ id_token_hint: session.idToken, post_logout_redirect_uri: redirectUri() });
  location.assign(`/oauth2/v1/end_session?${params}`);
}
