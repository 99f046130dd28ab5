// The authorization endpoint: errors before the client and redirect_uri are known are shown, never
// redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.1.3); errors after that go back with state and iss (RFC 9207).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { discoveredIssuer, expectNoControlCharacters, expectNoStackTrace, expectNothingIssued, readAnswer, redirectParams } from "../support/negative.ts";
import { pkcePair } from "../support/oauth-flow.ts";
import { startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let issuer: string;
beforeAll(async () => {
  server = await startSigil({ removeOnStop: true });
  p = await provision(server);
  issuer = await discoveredIssuer(server);
});
afterAll(() => server.stop());

const STATE = "st-\u00e9 &=?x";

/** A valid request for the confidential client rp, as ordered pairs so that tests can repeat or drop any. */
function validPairs(overrides: Record<string, string | null> = {}): [string, string][] {
  const base: Record<string, string> = {
    client_id: p.clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid profile",
    state: STATE, nonce: "n-1", code_challenge: pkcePair().challenge, code_challenge_method: "S256",
  };
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries({ ...base, ...overrides })) if (value !== null) pairs.push([name, value]);
  return pairs;
}

const get = (pairs: [string, string][]) => server.fetch(`/oauth2/v1/authorize?${new URLSearchParams(pairs)}`);

/** A redirect back to the client carrying `error`, the request's state and the discovery issuer, and no code. */
async function expectErrorRedirect(response: Response, error: string): Promise<URLSearchParams> {
  const params = redirectParams(response, p.redirectUri);
  expect(params.get("error")).toBe(error);
  expect(params.get("state")).toBe(STATE);
  expect(params.get("iss")).toBe(issuer);
  expect(params.has("code")).toBe(false);
  expectNoControlCharacters(params.get("error_description") ?? "");
  expectNothingIssued(await readAnswer(response));
  return params;
}

/** An error page for the person at the browser: 4xx, the sigil-error marker, and no Location header at all. */
async function expectErrorPage(response: Response, error: string): Promise<void> {
  const answer = await readAnswer(response);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.headers.has("location")).toBe(false);
  expect(answer.headers.get("content-type") ?? "").toContain("text/html");
  expect(answer.text).toContain('id="sigil-error"');
  expect(answer.text).toContain(`data-error="${error}"`);
  expectNoStackTrace(answer.text);
  expectNothingIssued(answer);
}

describe("errors shown, never redirected", () => {
  test("an unknown client_id gets an error page and no Location header", async () => {
    await expectErrorPage(await get(validPairs({ client_id: "no-such-client" })), "invalid_client");
  });

  test.each([
    ["an unregistered redirect_uri", "https://attacker.example/cb"],
    ["the registered redirect_uri with an extra query parameter", "https://rp.example/cb?next=https://attacker.example"],
    ["the registered redirect_uri with a different host case", "https://RP.example/cb"],
    ["the registered redirect_uri with a different path case", "https://rp.example/CB"],
    ["the registered redirect_uri with a trailing slash", "https://rp.example/cb/"],
    ["the registered redirect_uri with a fragment", "https://rp.example/cb#x"],
    ["the registered redirect_uri with a userinfo part", "https://rp.example@attacker.example/cb"],
  ])("%s gets an error page and no Location header", async (_name, redirectUri) => {
    await expectErrorPage(await get(validPairs({ redirect_uri: redirectUri })), "invalid_request");
  });

  test("an unregistered redirect_uri is not redirected to even when other parameters are also wrong", async () => {
    await expectErrorPage(await get(validPairs({ redirect_uri: "https://attacker.example/cb", response_type: "token" })), "invalid_request");
  });

  test("a repeated redirect_uri gets an error page, not a redirect to either value", async () => {
    await expectErrorPage(await get([...validPairs(), ["redirect_uri", "https://attacker.example/cb"]]), "invalid_request");
  });

  test("a missing redirect_uri gets an error page", async () => {
    await expectErrorPage(await get(validPairs({ redirect_uri: null })), "invalid_request");
  });

  test("control: the registered redirect_uri goes on to the login page", async () => {
    const response = await get(validPairs());
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toStartWith("/login.html?");
  });
});

describe("errors redirected back with state and iss", () => {
  test("a missing response_type redirects with invalid_request, state and the discovery issuer byte for byte", async () => {
    await expectErrorRedirect(await get(validPairs({ response_type: null })), "invalid_request");
  });

  test("response_type=token redirects with unsupported_response_type", async () => {
    await expectErrorRedirect(await get(validPairs({ response_type: "token" })), "unsupported_response_type");
  });

  test("response_type=code id_token redirects with unsupported_response_type", async () => {
    await expectErrorRedirect(await get(validPairs({ response_type: "code id_token" })), "unsupported_response_type");
  });

  test("a request object redirects with request_not_supported", async () => {
    await expectErrorRedirect(await get(validPairs({ request: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." })), "request_not_supported");
  });

  test("a request_uri redirects with request_uri_not_supported", async () => {
    await expectErrorRedirect(await get(validPairs({ request_uri: "https://attacker.example/request.jwt" })), "request_uri_not_supported");
  });

  test.each(["state", "scope", "response_type", "code_challenge", "nonce"])("a repeated %s redirects with invalid_request", async (name) => {
    const pairs = validPairs();
    const original = pairs.find(([n]) => n === name)!;
    await expectErrorRedirect(await get([...pairs, [name, name === "state" ? STATE : original[1]]]), "invalid_request");
  });

  test("prompt=none combined with login redirects with invalid_request", async () => {
    await expectErrorRedirect(await get(validPairs({ prompt: "none login" })), "invalid_request");
  });

  test.each(["abc", "-1", "1.5", "1e3"])("max_age=%s redirects with invalid_request", async (maxAge) => {
    await expectErrorRedirect(await get(validPairs({ max_age: maxAge })), "invalid_request");
  });

  test("an error_description never carries CR, LF or TAB, even when it echoes a parameter that does", async () => {
    const params = await expectErrorRedirect(await get(validPairs({ prompt: "evil\r\nSet-Cookie:\tx=1" })), "invalid_request");
    expect(params.get("error_description")).toBeString();
    expectNoControlCharacters(params.get("error_description")!);
  });

  test("a repeated client_id is shown, not redirected", async () => {
    await expectErrorPage(await get([...validPairs(), ["client_id", p.publicClientId]]), "invalid_request");
  });
});

describe("what is accepted", () => {
  test("unknown extra parameters are ignored and the request goes on to the login page", async () => {
    const response = await get([...validPairs(), ["foo", "bar"], ["ui_locales", "de"], ["x-custom", "1"], ["foo2", "a"], ["foo2", "b"]]);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toStartWith("/login.html?");
  });

  test("POST with a form body is handled like GET: the same login page and the same carried request", async () => {
    const pairs = validPairs();
    const viaGet = await get(pairs);
    const viaPost = await server.fetch("/oauth2/v1/authorize", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(pairs),
    });
    expect(viaPost.status).toBe(302);
    expect(viaPost.headers.get("location")).toStartWith("/login.html?");
    expect(viaPost.headers.get("location")).toBe(viaGet.headers.get("location")!);
  });

  test("POST with a form body redirects errors back like GET", async () => {
    const response = await server.fetch("/oauth2/v1/authorize", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(validPairs({ response_type: "token" })),
    });
    await expectErrorRedirect(response, "unsupported_response_type");
  });
});
