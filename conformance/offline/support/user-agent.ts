// The browser of the battery: what Sigil's sign-in page (web/login.ts) and signed-out page
// (/logout.js) do, over plain HTTP.
import { expect } from "bun:test";
import { loginPageReturn, passwordLogin, postLogin, sendAuthorization, type AuthorizationRequest, type LoginAnswer } from "./authorization.ts";
import { endSession, logoutRedirectTarget } from "./end-session.ts";
import type { Op } from "./op.ts";

/**
 * One browser at Sigil's origin. Its localStorage holds the single sign-on assertion, and it
 * follows the sign-in page's rules (web/login.ts): with prompt=none, or with a stored assertion
 * and no prompt=login, it first offers the assertion; if that does not finish the sign-in (and
 * prompt is not none) the user types the password. `interactiveLogins` counts the times the
 * user was asked for the password, the thing prompt=login and max_age must force and
 * prompt=none and max_age=10000 must avoid.
 */
export class UserAgent {
  sso: string | null = null;
  interactiveLogins = 0;

  constructor(private readonly op: Op) {}

  /** Authorize and come back with the redirect to the client, as a URL. */
  async authorize(request: AuthorizationRequest): Promise<URL> {
    const returnTo = loginPageReturn(this.op, await sendAuthorization(this.op, request));
    const prompt = new Set((new URL(returnTo, this.op.issuer).searchParams.get("prompt") ?? "").split(" ").filter(Boolean));
    if (prompt.has("none") || (this.sso !== null && !prompt.has("login"))) {
      const answer = await postLogin(this.op, { ...(this.sso ? { sso: this.sso } : {}), return: returnTo });
      const followed = this.follow(answer);
      if (followed) return followed;
      expect(answer.body.error).toBe("login_required");
      if (prompt.has("none")) throw new Error(`prompt=none ended without a redirect: ${JSON.stringify(answer)}`);
    }
    this.interactiveLogins++;
    const answer = await passwordLogin(this.op, returnTo);
    const followed = this.follow(answer);
    if (!followed) throw new Error(`password sign-in did not redirect: ${JSON.stringify(answer)}`);
    return followed;
  }

  /**
   * Opens an end_session URL. Sigil answers with its signed-out page, whose script (/logout.js)
   * removes the assertion from localStorage and then, when the page carries data-redirect, goes
   * there; this does the same (oidcc-rp-initiated-logout runs the real script in Chromium).
   * Returns where the page sent the browser, or null.
   */
  async endSession(params: Record<string, string>): Promise<URL | null> {
    const response = await endSession(this.op, params);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<script[^>]+src="\/logout\.js"/);
    this.sso = null;
    const target = logoutRedirectTarget(html);
    return target === null ? null : new URL(target);
  }

  private follow(answer: LoginAnswer): URL | null {
    if (typeof answer.body.redirect !== "string") return null;
    if (answer.status === 200) {
      if (typeof answer.body.sso === "string") this.sso = answer.body.sso;
      return new URL(answer.body.redirect);
    }
    return answer.body.error === "login_required" ? new URL(answer.body.redirect) : null;
  }
}
