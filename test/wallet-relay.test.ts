// Relayed wallet requests (OpenID4VP 1.0 §14.2, session fixation): an attacker starts a sign-in or
// a link in its own browser and gets a victim's wallet to answer it. A same-device sign-in then
// completes only with the response_code the wallet handed to the victim's browser; a link waits
// for a confirmation on the device the wallet returned to, which names the account. The genuine
// same-device and cross-device flows, and a confirmed link, still work.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { accountToken } from "./support/totp.ts";
import { redirectFragment, walletFlow } from "./support/wallet/sign-in-flow.ts";
import { createTestIssuer, pidClaims, type TestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let issuer: TestIssuer;
let flow: ReturnType<typeof walletFlow>;

beforeAll(async () => {
  issuer = await createTestIssuer({ caName: "Relay CA" });
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  flow = walletFlow(server, p);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const victimWallet = (number: string) => createTestWallet(issuer, { claims: pidClaims({ personal_administrative_number: number, given_name: "Victor" }) });

describe("sign-in", () => {
  test("a relayed same-device sign-in never completes for the attacker who polls with its page secret", async () => {
    const attacker = await flow.startSignIn({ flow: "same_device" });
    const presented = await presentToVerifier(await victimWallet("R-0001"), attacker.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    // The response_code went to the victim's browser, in the wallet's redirect; the attacker has only its page secret.
    expect(redirectFragment(presented.response).fragment.get("response_code")).toBeString();
    for (let poll = 0; poll < 3; poll++) {
      const waiting = await flow.finish(attacker);
      expect(waiting.status).toBe(202);
      const body = (await waiting.json()) as { code?: string };
      expect(body.code).toBeUndefined();
    }
  });

  test("same-device: the response_code and the page secret complete the sign-in once; polling then hears it was completed", async () => {
    const run = await flow.startSignIn({ flow: "same_device" });
    const presented = await presentToVerifier(await victimWallet("R-0002"), run.wallet_url, { fetch });
    const { url, fragment } = redirectFragment(presented.response);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.origin()}/login.html`);
    expect(fragment.get("wallet_transaction")).toBe(run.transaction_id);
    const done = await flow.finish(run, fragment.get("response_code")!);
    expect((await flow.tokens(done, run)).idToken.given_name).toBe("Victor");
    expect((await flow.finish(run)).status).toBe(409);
  });

  test("cross-device: polling with the page secret completes the sign-in, and the wallet's browser is told it is done", async () => {
    const run = await flow.startSignIn();
    const presented = await presentToVerifier(await victimWallet("R-0003"), run.wallet_url, { fetch });
    expect(presented.response).toEqual({ redirect_uri: `${server.origin()}/wallet-done.html` });
    expect((await flow.tokens(await flow.finish(run), run)).idToken.given_name).toBe("Victor");
  });

  test("an unknown flow is refused", async () => {
    const { startAuthorization } = await import("./support/oauth-flow.ts");
    const { returnTo } = await startAuthorization(server, p);
    const refused = await flow.post("wallet-start", { return: returnTo, flow: "both" });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("linking from the account page", () => {
  test("a relayed link is not made until the wallet's device confirms, and a decline leaves nothing linked", async () => {
    const attackerToken = await accountToken(server, p);
    const link = await flow.startLink(attackerToken);
    const victim = await victimWallet("R-0004");
    const presented = await presentToVerifier(victim, link.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    for (let poll = 0; poll < 3; poll++) {
      const waiting = await flow.finishLink(attackerToken, link);
      expect(waiting.status).toBe(202);
      expect(await waiting.json()).toEqual({ status: "awaiting_confirmation" });
    }
    // The victim's device: the page the wallet opened says which account it would join.
    const { url, fragment } = redirectFragment(presented.response);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.origin()}/wallet-link.html`);
    const transactionId = fragment.get("transaction")!;
    const code = fragment.get("response_code")!;
    const described = await flow.describeLink(transactionId, code);
    expect(described.status).toBe(200);
    expect(await described.json()).toEqual({ username: p.username, tenant: "localhost" });
    expect((await flow.confirmLink(transactionId, code, "cancel")).status).toBe(200);
    const refused = await flow.finishLink(attackerToken, link);
    expect(refused.status).toBe(403);
    // The code was spent by the decline.
    expect((await flow.confirmLink(transactionId, code, "link")).status).toBe(404);
    const me = (await (await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${attackerToken}` } })).json()) as { sub: string; wallets_linked: number };
    expect(me.wallets_linked).toBe(0);
    // The victim's wallet still signs in to an account of the victim's own.
    const run = await flow.startSignIn();
    expect((await presentToVerifier(victim, run.wallet_url, { fetch })).status).toBe(200);
    expect((await flow.tokens(await flow.finish(run), run)).idToken.sub).not.toBe(me.sub);
  });

  test("a link confirmed on the wallet's device is made once; wrong codes neither describe nor spend it", async () => {
    await server.cliOk(["user", "add", "localhost", "bob", "--password-stdin"], "bob-password\n");
    const token = await accountToken(server, { ...p, username: "bob", password: "bob-password" });
    const link = await flow.startLink(token);
    const wallet = await victimWallet("R-0005");
    const presented = await presentToVerifier(wallet, link.wallet_url, { fetch });
    const { fragment } = redirectFragment(presented.response);
    const transactionId = fragment.get("transaction")!;
    const code = fragment.get("response_code")!;
    expect((await flow.describeLink(transactionId, `${code.slice(0, -2)}xx`)).status).toBe(404);
    expect((await flow.confirmLink(transactionId, `${code.slice(0, -2)}xx`, "link")).status).toBe(404);
    expect((await flow.describeLink("unknown", code)).status).toBe(404);
    expect((await flow.finishLink(token, link)).status).toBe(202);
    const confirmed = await flow.confirmLink(transactionId, code, "link");
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ status: "confirmed" });
    expect((await flow.confirmLink(transactionId, code, "link")).status).toBe(404);
    const linked = await flow.finishLink(token, link);
    expect(linked.status).toBe(200);
    expect(await linked.json()).toEqual({ status: "linked" });
    const me = (await (await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${token}` } })).json()) as { sub: string; wallets_linked: number };
    expect(me.wallets_linked).toBe(1);
    const run = await flow.startSignIn();
    expect((await presentToVerifier(wallet, run.wallet_url, { fetch })).status).toBe(200);
    expect((await flow.tokens(await flow.finish(run), run)).idToken.sub).toBe(me.sub);
  });
});
