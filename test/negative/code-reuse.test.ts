// Authorization codes are single-use and bound to their client and redirect_uri (RFC 6749 §4.1.2, §4.1.3);
// a second use revokes what the first produced (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, introspect, userinfo } from "../support/negative.ts";
import { obtainCode, tokenRequest } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let rp2: Provisioned;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  // A second confidential client with two redirect URIs, to swap one registered URI for the other.
  const out = await server.cliOk(["client", "add", "localhost", "rp2", "--redirect-uri", p.redirectUri, "--redirect-uri", "https://rp.example/other", "--confidential"]);
  rp2 = { ...p, clientId: "rp2", clientSecret: /^secret: (\S+)$/m.exec(out)![1]! };
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

const exchange = (who: Provisioned, flow: { code: string; pkce: { verifier: string } | null }, extra: Record<string, string> = {}, auth: "basic" | "none" = "basic") =>
  tokenRequest(server, who, {
    grant_type: "authorization_code", code: flow.code, redirect_uri: who.redirectUri,
    ...(flow.pkce ? { code_verifier: flow.pkce.verifier } : {}), ...extra,
  }, auth);

const refresh = (refreshToken: string) => tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: refreshToken });

test("a second exchange of a code is refused with invalid_grant and kills the tokens of the first", async () => {
  const flow = await obtainCode(server, p);
  const first = await exchange(p, flow);
  expect(first.status).toBe(200);
  const tokens = (await first.json()) as Tokens;
  // Before the replay the tokens are alive: the checks below can only pass because of the replay.
  expect((await userinfo(server, p, tokens.access_token)).status).toBe(200);
  expect((await introspect(server, p, tokens.access_token)).active).toBe(true);
  expect((await introspect(server, p, tokens.refresh_token, "refresh_token")).active).toBe(true);

  await expectJsonError(await exchange(p, flow), 400, "invalid_grant", tokens.access_token, tokens.refresh_token);

  const info = await userinfo(server, p, tokens.access_token);
  expect(info.status).toBe(401);
  expect(info.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');
  expect(await introspect(server, p, tokens.access_token)).toEqual({ active: false });
  expect(await introspect(server, p, tokens.refresh_token, "refresh_token")).toEqual({ active: false });
  await expectJsonError(await refresh(tokens.refresh_token), 400, "invalid_grant");
});

test("a code issued to the public client is refused with invalid_grant when another client exchanges it", async () => {
  const flow = await obtainCode(server, p, { clientId: p.publicClientId });
  await expectJsonError(await exchange(p, flow), 400, "invalid_grant");
});

test("a code issued to the confidential client is refused with invalid_grant when the public client exchanges it", async () => {
  const flow = await obtainCode(server, p);
  await expectJsonError(await exchange(p, flow, { client_id: p.publicClientId }, "none"), 400, "invalid_grant");
});

test("a redirect_uri at the token endpoint that differs from the authorization request is refused with invalid_grant", async () => {
  const flow = await obtainCode(server, p);
  await expectJsonError(await exchange(p, flow, { redirect_uri: "https://rp.example/cb/" }), 400, "invalid_grant");
});

test("another redirect_uri registered for the same client is still refused with invalid_grant", async () => {
  const flow = await obtainCode(server, rp2, { clientId: "rp2" });
  await expectJsonError(await exchange(rp2, flow, { redirect_uri: "https://rp.example/other" }), 400, "invalid_grant");
});

test("a missing redirect_uri at the token endpoint is refused when the authorization request had one", async () => {
  const flow = await obtainCode(server, p);
  const response = await tokenRequest(server, p, { grant_type: "authorization_code", code: flow.code, code_verifier: flow.pkce!.verifier });
  const body = (await response.clone().json()) as { error: string };
  // RFC 6749 §4.1.3 names no code for this; either of the two is a refusal.
  expect(["invalid_grant", "invalid_request"]).toContain(body.error);
  await expectJsonError(response, 400, body.error);
});

test.each([
  ["a random code", Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")],
  ["a code with odd characters", "../../etc/passwd%00'\"<>"],
  ["an over-long code", "A".repeat(5000)],
])("%s is refused with invalid_grant", async (_name, code) => {
  await expectJsonError(await exchange(p, { code, pkce: null }), 400, "invalid_grant");
});

test("control: the second client exchanges its own code with the second registered redirect_uri when it asked for that one", async () => {
  const flow = await obtainCode(server, { ...rp2, redirectUri: "https://rp.example/other" }, { clientId: "rp2" });
  const response = await exchange({ ...rp2, redirectUri: "https://rp.example/other" }, flow);
  expect(response.status).toBe(200);
});
