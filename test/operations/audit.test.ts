// The audit trail: DATA/tenants/<host>/audit/<UTC day>.jsonl gets one JSON object per line
// for sign-ins, failures, code reuse, refreshes and revocations, and never a secret.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { login, obtainCode, startAuthorization, tokenRequest } from "../support/oauth-flow.ts";
import { pollFor } from "../support/operations.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

interface AuditLine {
  time: string;
  tenant: string;
  event: string;
  [field: string]: unknown;
}

let server: SigilServer;
let p: Provisioned;
const days = new Set<string>();
/** Every secret the scenario handled: none may appear in the audit file. */
const secrets: Record<string, string> = {};
let startedAt = 0;

const utcDay = () => new Date().toISOString().slice(0, 10);
const auditText = () =>
  [...days].map((day) => join(server.dataDir, "tenants", "localhost", "audit", `${day}.jsonl`)).filter(existsSync).map((path) => readFileSync(path, "utf8")).join("");
const auditLines = (): AuditLine[] => auditText().split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as AuditLine);

const WANTED = ["signin.success", "signin.failure", "code.reused", "token.refreshed", "token.revoked"];

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  startedAt = Date.now();
  days.add(utcDay());
  const wrongPassword = "not-the-password-7a1b";
  secrets.password = p.password;
  secrets.ha1 = ha1(p.username, p.host, p.password);
  secrets.wrongPassword = wrongPassword;
  secrets.wrongHa1 = ha1(p.username, p.host, wrongPassword);
  secrets.clientSecret = p.clientSecret;

  // A failed sign-in.
  const failing = await startAuthorization(server, p);
  const failed = await login(server, p, failing.returnTo, wrongPassword);
  expect(failed.status).toBe(401);

  // A successful sign-in, its code redeemed, then the code reused.
  const flow = await obtainCode(server, p);
  secrets.code = flow.code;
  if (flow.sso) secrets.sso = flow.sso;
  const exchange = { grant_type: "authorization_code", code: flow.code, redirect_uri: p.redirectUri, code_verifier: flow.pkce!.verifier };
  const first = await tokenRequest(server, p, exchange);
  expect(first.status).toBe(200);
  const tokens = (await first.json()) as { access_token: string; id_token: string; refresh_token: string };
  secrets.accessToken = tokens.access_token;
  secrets.idToken = tokens.id_token;
  secrets.refreshToken = tokens.refresh_token;
  expect((await tokenRequest(server, p, exchange)).status).toBe(400);

  // A refresh on a second grant, then the rotated refresh token revoked.
  const second = await obtainCode(server, p);
  secrets.secondCode = second.code;
  const secondTokens = (await (await tokenRequest(server, p, {
    grant_type: "authorization_code", code: second.code, redirect_uri: p.redirectUri, code_verifier: second.pkce!.verifier,
  })).json()) as { access_token: string; refresh_token: string };
  secrets.secondRefreshToken = secondTokens.refresh_token;
  secrets.secondAccessToken = secondTokens.access_token;
  const refreshed = await tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: secondTokens.refresh_token });
  expect(refreshed.status).toBe(200);
  const rotated = (await refreshed.json()) as { access_token: string; refresh_token: string };
  secrets.rotatedRefreshToken = rotated.refresh_token;
  secrets.rotatedAccessToken = rotated.access_token;
  const revoked = await server.fetch("/oauth2/v1/revoke", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}` },
    body: new URLSearchParams({ token: rotated.refresh_token, token_type_hint: "refresh_token" }),
  });
  expect(revoked.status).toBe(200);
  days.add(utcDay());

  // Lines are appended off the request path: wait (up to 2 s) until every event is on disk.
  await pollFor(() => {
    const events = new Set(auditLines().map((line) => line.event));
    return WANTED.every((event) => events.has(event)) ? true : undefined;
  }, 2000);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

test("sign-in success and failure, code reuse, refresh and revocation each leave an event in the UTC day's file", () => {
  const events = auditLines().map((line) => line.event);
  for (const event of WANTED) expect(events).toContain(event);
  expect(events.filter((event) => event === "signin.success")).toHaveLength(2);
  expect(events.filter((event) => event === "signin.failure")).toHaveLength(1);
});

test("every line is one JSON object with time, tenant and event", () => {
  const text = auditText();
  expect(text.endsWith("\n")).toBe(true);
  const raw = text.split("\n").filter((line) => line.length > 0);
  expect(raw.length).toBeGreaterThanOrEqual(WANTED.length);
  for (const line of raw) {
    const parsed: unknown = JSON.parse(line);
    expect(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)).toBe(true);
    const entry = parsed as AuditLine;
    expect(entry.tenant).toBe("localhost");
    expect(entry.event).toMatch(/^[a-z_]+\.[a-z_.]+$/);
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(days).toContain(entry.time.slice(0, 10));
  }
  // The scenario's events carry times from the scenario itself.
  for (const entry of auditLines().filter((line) => WANTED.includes(line.event))) {
    expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(entry.time)).toBeLessThanOrEqual(Date.now() + 1000);
  }
});

test("the failure names the user and the reason; the success names the subject and the client", () => {
  const failure = auditLines().find((line) => line.event === "signin.failure");
  expect(failure?.username).toBe(p.username);
  const success = auditLines().find((line) => line.event === "signin.success");
  expect(typeof success?.sub).toBe("string");
  expect(success?.client_id).toBe(p.clientId);
});

test("the audit file holds no password, HA1, code, access, id or refresh token, client secret or sign-on assertion", () => {
  const text = auditText();
  expect(text.length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(secrets)) {
    expect(value.length).toBeGreaterThan(8);
    expect({ name, found: text.includes(value) }).toEqual({ name, found: false });
  }
  // Nothing shaped like a JWT or an HA1 either, whatever its value.
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  expect(text).not.toMatch(/\b[0-9a-f]{32}\b/);
});

test("a failed sign-in with a name no account has keeps only a digest of it: it may be a password typed in the wrong field", async () => {
  const typedPassword = "Correct-Horse-Battery-9";
  const { returnTo } = await startAuthorization(server, p);
  expect((await login(server, { ...p, username: typedPassword }, returnTo)).status).toBe(401);
  const entry = await pollFor(() => auditLines().find((line) => line.event === "signin.failure" && typeof line.unknown_username_sha256 === "string"));
  expect(entry?.username).toBeUndefined();
  expect(auditText()).not.toContain(typedPassword);
});
