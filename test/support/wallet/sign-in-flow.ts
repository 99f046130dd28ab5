// The page's side of an EU Wallet sign-in or link over plain HTTP, as web/lib/wallet-method.ts and
// web/lib/account-wallet.ts drive it, so that black-box tests can play the page, the wallet and
// an attacker's browser without a real browser.
import { expect } from "bun:test";
import { decodeJwt } from "jose";
import type { Provisioned } from "../fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "../oauth-flow.ts";
import type { SigilServer } from "../sigil.ts";

export interface StartedSignIn {
  transaction_id: string;
  wallet_url: string;
  request_uri: string;
  expires_at: number;
  page_secret: string;
  qr_svg: string;
  pkce: { verifier: string; challenge: string };
  state: string;
}

export interface StartedLink {
  transaction_id: string;
  page_secret: string;
  wallet_url: string;
}

export function walletFlow(server: SigilServer, p: Provisioned) {
  const post = (name: string, body: Record<string, unknown>) =>
    server.fetch(`/oauth2/v1/${name}`, { host: p.host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  const bearerPost = (token: string, path: string, body: Record<string, unknown> = {}) =>
    server.fetch(path, { host: p.host, method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const jsonPost = (path: string, body: Record<string, unknown>) =>
    server.fetch(path, { host: p.host, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  return {
    post,
    /** wallet-start for a fresh authorization request of the client (default rp); `flow` as the page sends it. */
    async startSignIn(options: { flow?: "same_device" | "cross_device"; clientId?: string } = {}): Promise<StartedSignIn> {
      const pkce = pkcePair();
      const { returnTo, state } = await startAuthorization(server, p, { pkce, clientId: options.clientId });
      const started = await post("wallet-start", { return: returnTo, ...(options.flow ? { flow: options.flow } : {}) });
      expect(started.status).toBe(201);
      return { ...((await started.json()) as Omit<StartedSignIn, "pkce" | "state">), pkce, state };
    },
    /** wallet-finish as the page polls it (with a response_code when the wallet sent the browser back). */
    finish(run: { transaction_id: string; page_secret: string }, responseCode?: string) {
      return post("wallet-finish", { transaction_id: run.transaction_id, page_secret: run.page_secret, ...(responseCode ? { response_code: responseCode } : {}) });
    },
    /** The id_token and userinfo a completed sign-in gives the relying party. */
    async tokens(done: Response, run: StartedSignIn, client: { clientId: string; clientSecret: string } = p) {
      expect(done.status).toBe(200);
      const { code } = (await done.json()) as { code: string };
      const response = await tokenRequest(server, { ...p, ...client }, { grant_type: "authorization_code", code, redirect_uri: p.redirectUri, code_verifier: run.pkce.verifier });
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as { id_token: string; access_token: string };
      const userinfo = (await (await server.fetch("/oauth2/v1/userinfo", { host: p.host, headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
      return { idToken: decodeJwt(tokens.id_token), userinfo };
    },
    async startLink(token: string): Promise<StartedLink> {
      const started = await bearerPost(token, "/account/v1/wallet/link");
      expect(started.status).toBe(201);
      return (await started.json()) as StartedLink;
    },
    finishLink(token: string, link: StartedLink) {
      return bearerPost(token, "/account/v1/wallet/link/finish", { transaction_id: link.transaction_id, page_secret: link.page_secret });
    },
    /** The confirmation page's two calls, on the device the wallet sent back to (no account session there). */
    describeLink(transactionId: string, responseCode: string) {
      return jsonPost("/account/v1/wallet/link/describe", { transaction_id: transactionId, response_code: responseCode });
    },
    confirmLink(transactionId: string, responseCode: string, decision: "link" | "cancel") {
      return jsonPost("/account/v1/wallet/link/confirm", { transaction_id: transactionId, response_code: responseCode, decision });
    },
  };
}

/** The wallet_transaction / transaction and response_code the wallet's redirect_uri carries in its fragment. */
export function redirectFragment(presentedResponse: unknown): { url: URL; fragment: URLSearchParams } {
  const url = new URL((presentedResponse as { redirect_uri: string }).redirect_uri);
  return { url, fragment: new URLSearchParams(url.hash.slice(1)) };
}
