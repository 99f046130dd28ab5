// Request bodies: over-large ones get a clean 413 in the RFC 6749 §5.2 JSON shape, unreadable ones a
// 400 invalid_request; never 422, never a crash, never a stack trace on the wire.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, expectNoStackTrace, readAnswer } from "../support/negative.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let returnTo: string;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  ({ returnTo } = await startAuthorization(server, p));
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const KIB = 1024;
const formBody = (bytes: number) => `grant_type=authorization_code&code=${"A".repeat(bytes)}`;
const jsonBody = (bytes: number) => JSON.stringify({ user: "alice", ha1: "0".repeat(32), return: "/oauth2/v1/authorize", pad: "A".repeat(bytes) });
const basic = () => `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;

/** The server still answers normally after whatever came before. */
async function expectStillServing(): Promise<void> {
  const response = await server.fetch("/.well-known/openid-configuration");
  expect(response.status).toBe(200);
  expect(((await response.json()) as { issuer?: string }).issuer).toBeString();
}

/** 413 with the JSON error shape, then the server still serves. */
async function expectTooLarge(send: () => Promise<Response>): Promise<void> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    throw new Error(`the server dropped the connection instead of answering 413: ${String(error)}`);
  }
  const answer = await expectJsonError(response, 413, "payload_too_large");
  expect(answer.status).not.toBe(500);
  await expectStillServing();
}

describe("a body over the limit (64 KiB by default) gets 413 with {error, error_description}", () => {
  for (const [label, bytes] of [["~100 KiB", 100 * KIB], ["~2 MiB", 2 * KIB * KIB]] as const) {
    test(`${label} form body to token`, async () => {
      await expectTooLarge(() => server.fetch("/oauth2/v1/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic() },
        body: formBody(bytes),
      }));
    });

    test(`${label} JSON body to login`, async () => {
      await expectTooLarge(() => server.fetch("/oauth2/v1/login", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: jsonBody(bytes),
      }));
    });

    test(`${label} form body to token without a Content-Length (chunked)`, async () => {
      const bytesOut = new TextEncoder().encode(formBody(bytes));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytesOut.length; at += 16 * KIB) controller.enqueue(bytesOut.subarray(at, at + 16 * KIB));
          controller.close();
        },
      });
      await expectTooLarge(() => server.fetch("/oauth2/v1/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic() },
        body,
      }));
    });
  }

  test("control: a body just under the limit is read (and refused for what it says, not for its size)", async () => {
    const response = await server.fetch("/oauth2/v1/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic() },
      body: formBody(60 * KIB),
    });
    await expectJsonError(response, 400, "invalid_grant");
  });
});

describe("an unreadable body gets 400 invalid_request", () => {
  test("malformed JSON to login", async () => {
    const response = await server.fetch("/oauth2/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: `{"user":"alice","ha1":`,
    });
    await expectJsonError(response, 400, "invalid_request");
  });

  test.each([
    ["a JSON array", "[1,2]"],
    ["a JSON string", '"alice"'],
    ["JSON null", "null"],
    ["an empty JSON body", ""],
  ])("%s to login", async (_name, body) => {
    const response = await server.fetch("/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body });
    await expectJsonError(response, 400, "invalid_request");
  });

  test("text/plain to token", async () => {
    const response = await server.fetch("/oauth2/v1/token", {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: basic() },
      body: "grant_type=refresh_token&refresh_token=x",
    });
    await expectJsonError(response, 400, "invalid_request");
  });

  test.each([
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nrefresh_token\r\n--x--\r\n'],
    ["application/xml", "<grant_type>refresh_token</grant_type>"],
    ["application/x-www-form-urlencoded-evil", "grant_type=refresh_token"],
  ])("%s to token", async (type, body) => {
    const response = await server.fetch("/oauth2/v1/token", { method: "POST", headers: { "content-type": type, authorization: basic() }, body });
    await expectJsonError(response, 400, "invalid_request");
  });
});

describe("validation failures are never 422 and never show a stack trace", () => {
  const cases: [string, string, RequestInit][] = [
    ["login, JSON with nested objects", "/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: { $ne: null }, ha1: ["a"], return: 42 }) }],
    ["login, no return", "/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "alice", ha1: "0".repeat(32) }) }],
    ["login, return to another origin", "/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "alice", ha1: "0".repeat(32), return: "https://attacker.example/oauth2/v1/authorize?x=1" }) }],
    ["login, deeply nested JSON", "/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: "[".repeat(5000) + "]".repeat(5000) }],
    ["login, invalid UTF-8 JSON", "/oauth2/v1/login", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }],
    ["token, no grant_type", "/oauth2/v1/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "code=x" }],
    ["token, broken percent-encoding", "/oauth2/v1/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=%zz&code=%" }],
    ["token, JSON body with a number grant_type", "/oauth2/v1/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: 7 }) }],
    ["token, GET", "/oauth2/v1/token", { method: "GET" }],
    ["token, Basic header that is not base64", "/oauth2/v1/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic %%%%" }, body: "grant_type=refresh_token&refresh_token=x" }],
    ["token, Basic credentials with broken percent-encoding", "/oauth2/v1/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa("rp%:%zz")}` }, body: "grant_type=refresh_token&refresh_token=x" }],
    ["introspect, empty body", "/oauth2/v1/introspect", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }],
    ["revoke, JSON array", "/oauth2/v1/revoke", { method: "POST", headers: { "content-type": "application/json" }, body: "[]" }],
    ["userinfo, Bearer with garbage", "/oauth2/v1/userinfo", { headers: { authorization: "Bearer ..%00" } }],
    ["legacy endpoint, unknown action", "/oidc.ashx?action=%00nope", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" }],
    ["unknown endpoint", "/oauth2/v1/nope", { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" }],
  ];
  test.each(cases)("%s", async (_name, path, init) => {
    const answer = await readAnswer(await server.fetch(path, init));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).not.toBe(422);
    expect(typeof answer.json?.error).toBe("string");
    expect(typeof answer.json?.error_description).toBe("string");
    expectNoStackTrace(answer.text);
  });

  test("control: the login return from a real authorization is read, so the cases above are refused for their bodies", async () => {
    const response = await server.fetch("/oauth2/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ user: "alice", ha1: "0".repeat(32), return: returnTo }),
    });
    await expectJsonError(response, 401, "invalid_credentials");
  });
});
