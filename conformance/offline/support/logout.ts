// The RP-initiated logout modules: their common sign-in, and the checks on the pages end_session shows.
import { expect } from "bun:test";
import { authorizationRequest, expectAuthorizationSuccess, type AuthorizationRequest } from "./authorization.ts";
import { logoutRedirectTarget } from "./end-session.ts";
import { completeFlow, type CompletedFlow } from "./flow.ts";
import { expectValidIdToken } from "./id-token.ts";
import { randomValue, type Op } from "./op.ts";
import { exchangeCode, expectTokenResponse } from "./token.ts";
import { UserAgent } from "./user-agent.ts";

/** The signed-out / error page checks of the logout modules: no Location, no Refresh, no data-redirect, no link to `uri`'s host. */
export async function expectNoLogoutRedirect(response: Response, uri?: string): Promise<{ status: number; html: string }> {
  const html = await response.text();
  expect(response.headers.has("location")).toBe(false);
  expect(response.headers.has("refresh")).toBe(false);
  expect(html).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
  expect(html).not.toContain("data-redirect");
  if (uri) expect(html).not.toContain(new URL(uri).host);
  return { status: response.status, html };
}

/**
 * The logout modules' common part (AbstractOIDCCRpInitiatedLogout): a normal sign-in with a
 * 128-character state, returning the id_token to use as id_token_hint and the browser that holds
 * the session.
 */
export async function signInForLogout(op: Op): Promise<{ agent: UserAgent; flow: CompletedFlow }> {
  const agent = new UserAgent(op);
  const state = (crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID()).replace(/-/g, "");
  const flow = await completeFlow(op, { agent, state });
  expect(flow.request.state!.length).toBe(128);
  return { agent, flow };
}

/** The end-session state the suite sends (CreateRandomEndSessionState). */
export const endSessionState = () => randomValue(24);

/**
 * A logout the OP must not complete by redirecting (bad URI, bad hint, no hint): no Location,
 * no Refresh, no data-redirect, nothing that links to the URI; an error page (4xx, Sigil's
 * error marker) or a page asking or saying the user is signed out. Returns which it was.
 */
export async function expectLogoutNotRedirected(response: Response, attemptedUri?: string): Promise<"error" | "signed-out"> {
  const { status, html } = await expectNoLogoutRedirect(response, attemptedUri);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
  const isError = status >= 400 && status < 500 && html.includes('id="sigil-error"');
  const isSignedOut = status === 200 && html.includes('id="sigil-logout"');
  expect({ status, isError, isSignedOut, acceptable: isError || isSignedOut }).toEqual({ status, isError, isSignedOut, acceptable: true });
  return isError ? "error" : "signed-out";
}

/** A "you are signed out" page (ExpectSuccessfulLogoutPage): 200 HTML, Sigil's signed-out marker, the script that ends the session, no redirect. */
export async function expectSignedOutPage(response: Response): Promise<string> {
  const { status, html } = await expectNoLogoutRedirect(response);
  expect(status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
  expect(html).toContain('id="sigil-logout"');
  expect(logoutRedirectTarget(html)).toBeNull();
  expect(html).toMatch(/<script[^>]+src="\/logout\.js"/);
  return html;
}

export interface BrowserLogoutResult {
  /** The URL the browser landed on after end_session (the post_logout_redirect_uri with its query). */
  postLogout: URL;
  /** The sent end-session state, or null. */
  endSessionState: string | null;
  /** The callback of a prompt=none request made before the logout (must succeed: the session existed). */
  silentBefore: URL;
  silentBeforeRequest: AuthorizationRequest;
  /** The callback of a prompt=none request made after the logout (must fail: the session is gone). */
  silentAfter: URL;
  silentAfterRequest: AuthorizationRequest;
}

/**
 * OIDCCRpInitiatedLogout's whole round in a real browser (Debian's Chromium), because Sigil's only
 * session is the assertion its sign-in page keeps in localStorage and its signed-out page's script
 * removes: sign in on /login.html with the ids the suite's browser script types into (#username,
 * #password, #submit), get the id_token, check that prompt=none succeeds, go to end_session with
 * the hint, the registered post_logout_redirect_uri and (unless withState is false) a state, land
 * on the post_logout_redirect_uri, then try prompt=none again.
 */
export async function browserLogoutRound(op: Op, { withState }: { withState: boolean }): Promise<BrowserLogoutResult> {
  const { launchBrowser } = await import("../../../test/support/browser.ts");
  const browser = await launchBrowser();
  try {
    const rpOrigin = new URL(op.p.redirectUri).origin;
    await browser.context.route(`${rpOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
    const page = await browser.context.newPage();
    const authorizeUrl = (request: AuthorizationRequest) => `${op.metadata.authorization_endpoint}?${request.params}`;
    const landOn = async (prefix: string) => {
      await page.waitForURL((url) => url.href.startsWith(prefix), { timeout: 15_000 });
      return new URL(page.url());
    };

    const state = (crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID()).replace(/-/g, "");
    const first = authorizationRequest(op, { state });
    await page.goto(authorizeUrl(first));
    await page.locator("#username").fill(op.p.username);
    await page.locator("#password").fill(op.p.password);
    await page.locator("#submit").click();
    const code = expectAuthorizationSuccess(op, await landOn(op.p.redirectUri), first);
    const tokens = await expectTokenResponse(await exchangeCode(op, code, first));
    await expectValidIdToken(op, tokens.id_token!, { nonce: first.nonce, accessToken: tokens.access_token });

    const silentBeforeRequest = authorizationRequest(op, { extra: { prompt: "none" } });
    await page.goto(authorizeUrl(silentBeforeRequest));
    const silentBefore = await landOn(op.p.redirectUri);

    const sentState = withState ? endSessionState() : null;
    const logout = new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, ...(sentState ? { state: sentState } : {}) });
    await page.goto(`${op.metadata.end_session_endpoint}?${logout}`);
    const postLogout = await landOn(op.p.postLogoutRedirectUri);

    const silentAfterRequest = authorizationRequest(op, { extra: { prompt: "none" } });
    await page.goto(authorizeUrl(silentAfterRequest));
    const silentAfter = await landOn(op.p.redirectUri);
    return { postLogout, endSessionState: sentState, silentBefore, silentBeforeRequest, silentAfter, silentAfterRequest };
  } finally {
    await browser.close();
  }
}
