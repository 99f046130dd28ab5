// Helpers for the negative tests: reading error answers, proving that nothing
// secret leaked into them, and talking raw HTTP where fetch would refuse.
import { expect } from "bun:test";
import { readdirSync } from "node:fs";
import { connect } from "node:net";
import { join, relative } from "node:path";
import type { Provisioned } from "./fixtures.ts";
import type { SigilServer } from "./sigil.ts";

export interface ErrorAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: { error?: unknown; error_description?: unknown; [key: string]: unknown } | null;
}

/** Reads a response whole, parsing JSON when it is JSON. */
export async function readAnswer(response: Response): Promise<ErrorAnswer> {
  const text = await response.text();
  let json: ErrorAnswer["json"] = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) json = parsed as ErrorAnswer["json"];
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const TOKEN_FIELDS = ["access_token", "refresh_token", "id_token", "code", "redirect", "sso"];

/** An error answer carries no token, code or redirect carrying a code, in the body or the Location header. */
export function expectNothingIssued(answer: ErrorAnswer, ...secrets: string[]): void {
  if (answer.json) for (const field of TOKEN_FIELDS) expect(answer.json).not.toHaveProperty(field);
  expect(answer.text).not.toMatch(/"(access_token|refresh_token|id_token)"/);
  expect(answer.text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  const location = answer.headers.get("location");
  if (location !== null) expect(new URL(location, "http://base.invalid").searchParams.has("code")).toBe(false);
  for (const secret of secrets) expect(answer.text).not.toContain(secret);
}

/** A JSON error in RFC 6749 §5.2 shape with the given status and code, and nothing issued. */
export async function expectJsonError(response: Response, status: number, error: string, ...secrets: string[]): Promise<ErrorAnswer> {
  const answer = await readAnswer(response);
  // The body rides along in the comparison so that a failure shows what came instead.
  expect({ status: answer.status, error: answer.json?.error, body: answer.text.slice(0, 300) }).toEqual({ status, error, body: expect.any(String) });
  expect(answer.headers.get("content-type") ?? "").toContain("application/json");
  expect(typeof answer.json?.error_description).toBe("string");
  expectNoControlCharacters(String(answer.json?.error_description));
  expectNoStackTrace(answer.text);
  expectNothingIssued(answer, ...secrets);
  return answer;
}

/** error_description may not carry CR, LF or TAB (RFC 6749 §5.2 limits it to %x20-21 / %x23-5B / %x5D-7E). */
export function expectNoControlCharacters(text: string): void {
  expect(text).not.toMatch(/[\r\n\t]/);
}

/** No stack frames, source paths or line numbers on the wire. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/\bat (async )?[\w.<>]+ \(/);
  expect(text).not.toMatch(/\/(work|src|home|tmp|node_modules)\//);
  expect(text).not.toMatch(/\.(ts|js|mjs):\d+/);
}

/** The parameters of a redirect to the client, or a failed expectation when the answer is not one. */
export function redirectParams(response: Response, redirectUri: string): URLSearchParams {
  expect(response.status).toBe(302);
  const location = response.headers.get("location") ?? "";
  expect(location.startsWith(`${redirectUri}?`)).toBe(true);
  return new URL(location).searchParams;
}

/** The tenant's issuer exactly as discovery publishes it. */
export async function discoveredIssuer(server: SigilServer, host = "localhost"): Promise<string> {
  const response = await server.fetch("/.well-known/openid-configuration", { host });
  expect(response.status).toBe(200);
  return ((await response.json()) as { issuer: string }).issuer;
}

export const decodeJwtPart = (jwt: string, index: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split(".")[index] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

/** GET userinfo with a Bearer header. */
export const userinfo = (server: SigilServer, p: Provisioned, token: string) =>
  server.fetch("/oauth2/v1/userinfo", { host: p.host, headers: { authorization: `Bearer ${token}` } });

/** Introspect a token as the confidential client rp; returns the parsed body (and fails the test unless 200). */
export async function introspect(server: SigilServer, p: Provisioned, token: string, hint?: string): Promise<{ active: boolean; [key: string]: unknown }> {
  const body = new URLSearchParams({ token, ...(hint ? { token_type_hint: hint } : {}) });
  const response = await server.fetch("/oauth2/v1/introspect", {
    host: p.host,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}` },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { active: boolean };
}

/** Every file and directory under `dir`, relative, sorted. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      out.push(relative(dir, full) + (entry.isDirectory() ? "/" : ""));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes exactly as given over TCP (fetch normalises or refuses odd Host
 * headers) and reads the answer until the server closes the connection.
 */
export function rawHttp(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no complete answer within 5 s"));
    }, 5000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? "" : text.slice(split + 4) });
    });
  });
}
