// Helpers for the operations tests: signing in as any user (by password or by raw HA1),
// reading JWTs and the published JWKS, reading the store's bytes off disk, and
// checking that a refused CLI command said one clean line.
import { expect } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ha1, type Provisioned } from "./fixtures.ts";
import { postLogin, readCode, redeemCode, startAuthorization, tokenRequest } from "./oauth-flow.ts";
import type { CliResult, SigilServer } from "./sigil.ts";

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token: string;
}

/** Authorize with `p`'s confidential client, then POST the login endpoint with this exact HA1 for `username`. */
export async function signInWithHa1(server: SigilServer, p: Provisioned, username: string, ha1Hex: string, scope?: string) {
  const started = await startAuthorization(server, p, scope ? { scope } : {});
  const response = await postLogin(server, p.host, { user: username, ha1: ha1Hex, return: started.returnTo });
  return { response, started };
}

/** Sign in with a password (hashed as the login page does, over `realm`); the login endpoint's status. */
export async function loginStatus(server: SigilServer, p: Provisioned, username: string, password: string, realm = p.host): Promise<number> {
  const { response } = await signInWithHa1(server, p, username, ha1(username, realm, password));
  await response.body?.cancel();
  return response.status;
}

/** The whole flow for any user of `p.host`, with `p`'s confidential client: the token response. */
export async function tokensForHa1(server: SigilServer, p: Provisioned, username: string, ha1Hex: string, scope?: string): Promise<TokenSet> {
  const { response, started } = await signInWithHa1(server, p, username, ha1Hex, scope);
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  const { code } = await readCode(response, p, started.state);
  return redeemCode(server, p, code, started.pkce!.verifier);
}

export const tokensFor = (server: SigilServer, p: Provisioned, username: string, password: string, realm = p.host) =>
  tokensForHa1(server, p, username, ha1(username, realm, password));

/** A refresh_token grant with `p`'s confidential client: status and body. */
export async function refreshWith(server: SigilServer, p: Provisioned, refreshToken: string) {
  const response = await tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: refreshToken });
  return { status: response.status, body: (await response.json()) as Partial<TokenSet> & { error?: string } };
}

export const jwtPart = (jwt: string, index: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[index]!, "base64url").toString("utf8")) as Record<string, unknown>;
export const kidOf = (jwt: string): string => String(jwtPart(jwt, 0).kid);

export async function jwksOf(server: SigilServer, host = "localhost"): Promise<{ keys: { kid: string; d?: unknown }[] }> {
  const response = await server.fetch("/.well-known/jwks.json", { host });
  expect(response.status).toBe(200);
  return (await response.json()) as { keys: { kid: string }[] };
}

export const publishedKids = async (server: SigilServer, host = "localhost"): Promise<string[]> =>
  (await jwksOf(server, host)).keys.map((key) => key.kid).sort();

export async function userinfoStatus(server: SigilServer, accessToken: string, host = "localhost"): Promise<number> {
  const response = await server.fetch("/oauth2/v1/userinfo", { host, headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

/** The bytes of the store as they are on disk: the main file and the write-ahead log, where recent commits live until a checkpoint. */
export function storeBytes(dataDir: string): string {
  return ["sigil.db", "sigil.db-wal"]
    .map((name) => join(dataDir, name))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString("latin1"))
    .join("");
}

/** A refused command: non-zero exit, nothing on stdout, one line on stderr that starts with "sigil:", no stack frame or source path. */
export function expectCliRefusal(result: CliResult, says: RegExp): void {
  const lines = result.stderr.replace(/\n$/, "").split("\n");
  expect({ code: result.code === 0 ? "zero" : "non-zero", stdout: result.stdout, lines: lines.length, stderr: result.stderr })
    .toEqual({ code: "non-zero", stdout: "", lines: 1, stderr: expect.stringMatching(/^sigil: \S/) });
  expect(result.stderr).not.toContain("    at ");
  expect(result.stderr).not.toMatch(/\.ts:\d|\.ts\b|\/src\//);
  expect(result.stderr).toMatch(says);
}

/** Polls `check` until it returns a value (not undefined) or `ms` pass; returns the last value either way. */
export async function pollFor<T>(check: () => T | undefined, ms = 2000): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined || Date.now() >= until) return value;
    await Bun.sleep(25);
  }
}
