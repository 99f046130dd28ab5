// TOTP codes from an independent generator (Debian's oathtool), never from the code under test,
// and the account-client token the account API needs.
import { obtainCode, tokenRequest } from "./oauth-flow.ts";
import type { Provisioned } from "./fixtures.ts";
import type { SigilServer } from "./sigil.ts";

/** The code oathtool computes for `secret` at `atSeconds` (default now). */
export async function oathtoolCode(secret: string, atSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const proc = Bun.spawn(["oathtool", "--totp", "--base32", "--now", `@${atSeconds}`, secret], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`oathtool failed: ${err}`);
  return out.trim();
}

/** An access token for the built-in account client, by the code flow the account page uses. */
export async function accountToken(server: SigilServer, p: Provisioned): Promise<string> {
  return (await accountSession(server, p)).token;
}

/** The same, with the device token the sign-in gave the browser (what the page keeps to be a known device). */
export async function accountSession(server: SigilServer, p: Provisioned): Promise<{ token: string; device: string }> {
  const account = { ...p, clientId: "sigil-account", redirectUri: `${server.origin(p.host)}/account.html` };
  const flow = await obtainCode(server, account);
  const response = await tokenRequest(server, account, {
    grant_type: "authorization_code", code: flow.code, redirect_uri: account.redirectUri, code_verifier: flow.pkce!.verifier, client_id: "sigil-account",
  }, "none");
  if (response.status !== 200) throw new Error(`account token: ${response.status} ${await response.text()}`);
  return { token: ((await response.json()) as { access_token: string }).access_token, device: flow.device! };
}

/** Enrols an authenticator app through the account API; returns the secret, the recovery codes and the enrolment time. */
export async function enrolTotp(server: SigilServer, p: Provisioned, token: string) {
  const call = (path: string, body?: unknown) => server.fetch(path, {
    host: p.host, method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  const started = await call("/account/v1/totp/enrolment");
  if (started.status !== 200) throw new Error(`enrolment: ${started.status} ${await started.text()}`);
  const { secret } = (await started.json()) as { secret: string };
  const enrolledAt = Math.floor(Date.now() / 1000);
  const confirmed = await call("/account/v1/totp/enrolment/confirm", { code: await oathtoolCode(secret, enrolledAt) });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${await confirmed.text()}`);
  const { recovery_codes } = (await confirmed.json()) as { recovery_codes: string[] };
  return { secret, recoveryCodes: recovery_codes, enrolledAt };
}
