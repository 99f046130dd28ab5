// The admin API from a test: a token for the built-in admin console client (the code flow with
// PKCE the console uses), a machine token by client_credentials, and JSON calls with either.
import type { Provisioned } from "./fixtures.ts";
import { obtainCode, tokenRequest } from "./oauth-flow.ts";
import type { SigilServer } from "./sigil.ts";

export const ADMIN = "/admin/api/v1";

/** An admin user `name` (password `<name>-admin-pw`) of `p`'s tenant, as a party that can sign in. */
export async function addAdmin(server: SigilServer, p: Provisioned, name: string, host = p.host): Promise<Provisioned> {
  const password = `${name}-admin-pw`;
  await server.cliOk(["user", "add", host, name, "--password-stdin", "--role", "admin"], `${password}\n`);
  return { ...p, host, username: name, password };
}

/** A user's access token issued to `clientId` (default: the admin console, sigil-admin) through the code flow. */
export async function userToken(server: SigilServer, p: Provisioned, clientId = "sigil-admin", page = "/admin/"): Promise<string> {
  const party = { ...p, clientId, redirectUri: `${server.origin(p.host)}${page}` };
  const flow = await obtainCode(server, party);
  const response = await tokenRequest(server, party, {
    grant_type: "authorization_code", code: flow.code, redirect_uri: party.redirectUri, code_verifier: flow.pkce!.verifier, client_id: clientId,
  }, "none");
  if (response.status !== 200) throw new Error(`${clientId} token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A client_credentials token of a confidential machine client. */
export async function machineToken(server: SigilServer, host: string, clientId: string, secret: string, scope?: string): Promise<string> {
  const response = await server.fetch("/oauth2/v1/token", {
    method: "POST", host, headers: { authorization: `Basic ${btoa(`${clientId}:${secret}`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
  });
  if (response.status !== 200) throw new Error(`client_credentials: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface AdminAnswer {
  status: number;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
  headers: Headers;
}

/** One admin API call; `body` is sent as JSON. */
export async function adminCall(server: SigilServer, token: string | null, method: string, path: string, body?: unknown, host = "localhost"): Promise<AdminAnswer> {
  const response = await server.fetch(`${ADMIN}${path}`, {
    host, method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), accept: "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as AdminAnswer["body"]) : {}, headers: response.headers };
}
