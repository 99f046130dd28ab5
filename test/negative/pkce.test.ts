// PKCE (RFC 7636) is enforced at both ends: the challenge at authorize, the verifier at token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, expectNothingIssued, readAnswer, redirectParams, discoveredIssuer } from "../support/negative.ts";
import { obtainCode, pkcePair, tokenRequest } from "../support/oauth-flow.ts";
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

const exchange = (code: string, extra: Record<string, string>, auth: "basic" | "none" = "basic") =>
  tokenRequest(server, p, { grant_type: "authorization_code", code, redirect_uri: p.redirectUri, ...extra }, auth);

describe("at the token endpoint", () => {
  test("refuses a wrong code_verifier with 400 invalid_grant and issues nothing", async () => {
    const flow = await obtainCode(server, p);
    await expectJsonError(await exchange(flow.code, { code_verifier: pkcePair().verifier }), 400, "invalid_grant");
  });

  test("refuses a wrong code_verifier from a public client with 400 invalid_grant", async () => {
    const flow = await obtainCode(server, p, { clientId: p.publicClientId });
    await expectJsonError(await exchange(flow.code, { client_id: p.publicClientId, code_verifier: pkcePair().verifier }, "none"), 400, "invalid_grant");
  });

  test("refuses an exchange without code_verifier when the authorization request sent a challenge", async () => {
    const flow = await obtainCode(server, p);
    await expectJsonError(await exchange(flow.code, {}), 400, "invalid_grant");
  });

  test("refuses a code_verifier for a code whose request had no challenge (PKCE downgrade, RFC 9700 §4.8.2)", async () => {
    const flow = await obtainCode(server, p, { pkce: null });
    await expectJsonError(await exchange(flow.code, { code_verifier: pkcePair().verifier }), 400, "invalid_grant");
  });

  test("control: the right verifier is accepted, so the refusals above are about the verifier", async () => {
    const flow = await obtainCode(server, p);
    const response = await exchange(flow.code, { code_verifier: flow.pkce!.verifier });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token?: string }).access_token).toBeString();
  });
});

describe("at the authorization endpoint", () => {
  const authorizeQuery = (clientId: string, extra: Record<string, string>) =>
    new URLSearchParams({ client_id: clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid", state: "st-42", ...extra });

  test("redirects a public client without code_challenge back with invalid_request, its state and iss", async () => {
    const response = await server.fetch(`/oauth2/v1/authorize?${authorizeQuery(p.publicClientId, {})}`);
    const params = redirectParams(response, p.redirectUri);
    expect(params.get("error")).toBe("invalid_request");
    expect(params.get("state")).toBe("st-42");
    expect(params.get("iss")).toBe(issuer);
    expectNothingIssued(await readAnswer(response));
  });

  test("redirects code_challenge_method=plain back with invalid_request instead of accepting it", async () => {
    const { verifier } = pkcePair();
    for (const clientId of [p.publicClientId, p.clientId]) {
      const response = await server.fetch(`/oauth2/v1/authorize?${authorizeQuery(clientId, { code_challenge: verifier, code_challenge_method: "plain" })}`);
      const params = redirectParams(response, p.redirectUri);
      expect(params.get("error")).toBe("invalid_request");
      expect(params.get("state")).toBe("st-42");
      expect(params.get("iss")).toBe(issuer);
      expectNothingIssued(await readAnswer(response));
    }
  });

  test("redirects a code_challenge without a method back with invalid_request (the default would be plain)", async () => {
    const { verifier } = pkcePair();
    const response = await server.fetch(`/oauth2/v1/authorize?${authorizeQuery(p.publicClientId, { code_challenge: verifier })}`);
    expect(redirectParams(response, p.redirectUri).get("error")).toBe("invalid_request");
  });
});
