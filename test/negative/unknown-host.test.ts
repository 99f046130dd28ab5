// Only configured tenants are served: an unknown or malformed Host gets a client error
// (421 Misdirected Request, RFC 9110 §15.5.20; 400 for a Host that is not a host, RFC 9112 §3.2)
// and creates nothing: no tenant, no signing key, no file in the data directory.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectNoStackTrace, listTree, rawHttp, type RawAnswer } from "../support/negative.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let returnTo: string;
let before: string[];
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  // Warm the known tenant up (signing key, audit file) so that only the unknown hosts could add anything.
  ({ returnTo } = await startAuthorization(server, p));
  expect((await server.fetch("/.well-known/jwks.json")).status).toBe(200);
  await Bun.sleep(100);
  before = listTree(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

/** Requests that would each create something for a tenant if tenant resolution let them through. */
function requests(host: string): { name: string; text: string }[] {
  const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`;
  const post = (path: string, type: string, body: string) =>
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  const authorize = new URLSearchParams({ client_id: p.clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid", code_challenge: "A".repeat(43), code_challenge_method: "S256" });
  return [
    { name: "discovery", text: get("/.well-known/openid-configuration") },
    { name: "jwks", text: get("/.well-known/jwks.json") },
    { name: "jwks endpoint", text: get("/oauth2/v1/jwks") },
    { name: "authorize", text: get(`/oauth2/v1/authorize?${authorize}`) },
    { name: "login", text: post("/oauth2/v1/login", "application/json", JSON.stringify({ user: "alice", ha1: "0".repeat(32), return: returnTo })) },
    { name: "token", text: post("/oauth2/v1/token", "application/x-www-form-urlencoded", `grant_type=authorization_code&code=x&client_id=${p.publicClientId}`) },
    { name: "end_session", text: get("/oauth2/v1/end_session") },
    { name: "legacy jwks", text: get("/oidc.ashx?action=jwks") },
    { name: "login page", text: get("/login.html") },
  ];
}

async function sendAll(host: string): Promise<{ name: string; answer: RawAnswer }[]> {
  const out = [];
  for (const { name, text } of requests(host)) out.push({ name, answer: await rawHttp(server.port, text) });
  return out;
}

const LONG_LABELS = Array.from({ length: 5 }, () => "a".repeat(63)).join("."); // 319 characters, each label valid

describe("a well-formed host that is not a tenant gets 421 on every endpoint", () => {
  test.each([
    ["evil.example", "evil.example"],
    ["evil.example with the server's port", "evil.example:PORT"],
    ["a subdomain of the known tenant", "evil.localhost"],
    ["an IPv6 literal", "[::1]"],
    ["an IPv6 literal with the port", "[::1]:PORT"],
    ["an over-long host of valid labels", LONG_LABELS],
    ["an over-long single label", "a".repeat(300)],
  ])("%s", async (_name, template) => {
    for (const { name, answer } of await sendAll(template.replace("PORT", String(server.port)))) {
      expect({ name, status: answer.status }).toEqual({ name, status: 421 });
      expect(answer.head).not.toMatch(/^location:/im);
      expectNoStackTrace(answer.body);
    }
  });
});

describe("a Host that is not a host name gets 400 or 421, never a server error", () => {
  test.each([
    ["dot-dot-slash", "../../etc"],
    ["dot-dot-slash after a known host", "localhost/../evil"],
    ["an encoded slash", "evil%2Fexample"],
    ["an encoded slash with the known host", "localhost%2F..%2Fevil"],
    ["a space", "evil example"],
    ["a space after the known host", "localhost evil"],
  ])("%s", async (_name, host) => {
    for (const { name, answer } of await sendAll(host)) {
      expect({ name, status: answer.status, refused: [400, 421].includes(answer.status) }).toEqual({ name, status: answer.status, refused: true });
      expect(answer.head).not.toMatch(/^location:/im);
      expectNoStackTrace(answer.body);
    }
  });
});

describe("after all of the above, nothing was created", () => {
  test("the data directory has no new file or directory, and audit files exist only for the known tenant", async () => {
    await Bun.sleep(200); // let any queued audit line reach the disk
    const after = listTree(server.dataDir);
    expect(after.filter((entry) => !before.includes(entry))).toEqual([]);
    const tenantEntries = after.filter((entry) => entry.startsWith("tenants/"));
    expect(tenantEntries.length).toBeGreaterThan(0);
    for (const entry of tenantEntries) expect(entry === "tenants/" || entry.startsWith("tenants/localhost/")).toBe(true);
  });

  test("sigil tenant list still lists only the known tenant", async () => {
    const listed = (await server.cliOk(["tenant", "list"])).trim().split("\n").map((line) => line.split("\t")[0]);
    expect(listed).toEqual(["localhost"]);
  });

  test("no signing key exists for the unknown hosts: sigil keys list fails for them", async () => {
    for (const host of ["evil.example", "evil.localhost"]) {
      const result = await server.cli(["keys", "list", host]);
      expect(result.code).not.toBe(0);
      expect(result.stdout.trim()).toBe("");
    }
    // Control: the known tenant has its key, so the command itself works.
    const known = await server.cli(["keys", "list", "localhost"]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/\tactive\t/);
  });

  test("control: the known tenant is still served over the same raw requests", async () => {
    const answer = await rawHttp(server.port, `GET /.well-known/openid-configuration HTTP/1.1\r\nHost: localhost:${server.port}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
  });
});
