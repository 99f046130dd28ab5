// The client credentials grant (RFC 6749 §4.4) driven by an independent client library,
// openid-client v6: a machine client registered for it gets a token for itself, with only its own
// scopes, no refresh token and no id_token; everyone else gets the RFC's errors.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as client from "openid-client";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { decodeJwtPart, userinfo } from "./support/negative.ts";
import { discoverRelyingParty, errorShape, rejectionOf, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let machine: client.Configuration;
let machineSecret: string;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  const out = await server.cliOk(["client", "add", "localhost", "reporting-job", "--confidential", "--grant", "client_credentials", "--scope", "sigil:admin", "--scope", "reports:read"]);
  machineSecret = /^secret: (\S+)$/m.exec(out)![1]!;
  machine = await discoverMachine("reporting-job", machineSecret);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const discoverMachine = (clientId: string, secret: string, host = "localhost") =>
  client.discovery(new URL(server.origin(host)), clientId, secret, client.ClientSecretBasic(), { execute: [client.allowInsecureRequests] });

const machineToken = (clientId: string, secret: string, host = "localhost") => server.fetch("/oauth2/v1/token", {
  method: "POST", host, headers: { authorization: `Basic ${btoa(`${clientId}:${secret}`)}`, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials" }),
});

const introspect = (token: string) => server.fetch("/oauth2/v1/introspect", {
  method: "POST", headers: { authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ token }),
}).then((response) => response.json() as Promise<Record<string, unknown>>);

describe("a machine client", () => {
  test("discovery lists the grant, and the client gets an RFC 9068 token for itself with all its scopes, no refresh token, no id_token", async () => {
    expect(machine.serverMetadata().grant_types_supported).toContain("client_credentials");
    const tokens = await client.clientCredentialsGrant(machine);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope).toBe("sigil:admin reports:read");
    const claims = decodeJwtPart(tokens.access_token, 1);
    expect(decodeJwtPart(tokens.access_token, 0).typ).toBe("at+jwt");
    expect({ sub: claims.sub, client_id: claims.client_id, gty: claims.gty, iss: claims.iss, aud: claims.aud })
      .toEqual({ sub: "reporting-job", client_id: "reporting-job", gty: "client_credentials", iss: server.origin("localhost"), aud: server.origin("localhost") });
  });

  test("it may narrow its scopes, and a scope it was not given is invalid_scope", async () => {
    expect((await client.clientCredentialsGrant(machine, { scope: "reports:read" })).scope).toBe("reports:read");
    const refused = errorShape(await rejectionOf(client.clientCredentialsGrant(machine, { scope: "reports:read openid" })));
    expect(refused).toEqual({ name: "ResponseBodyError", status: 400, error: "invalid_scope" });
  });

  test("introspection says whose token it is; revocation ends it; userinfo refuses it, for it names no user", async () => {
    const { access_token } = await client.clientCredentialsGrant(machine);
    expect(await introspect(access_token)).toMatchObject({ active: true, sub: "reporting-job", client_id: "reporting-job", scope: "sigil:admin reports:read" });
    expect((await introspect(access_token)).username).toBeUndefined();
    const info = await userinfo(server, p, access_token);
    expect(info.status).toBe(401);
    expect(info.headers.get("www-authenticate")).toContain('error="invalid_token"');
    await client.tokenRevocation(machine, access_token);
    expect(await introspect(access_token)).toEqual({ active: false });
  });

  test("its token dies with the client: removed, the token is inactive", async () => {
    const out = await server.cliOk(["client", "add", "localhost", "short-lived", "--confidential", "--grant", "client_credentials", "--scope", "x"]);
    const config = await discoverMachine("short-lived", /^secret: (\S+)$/m.exec(out)![1]!);
    const { access_token } = await client.clientCredentialsGrant(config);
    expect((await introspect(access_token)).active).toBe(true);
    await server.cliOk(["client", "remove", "localhost", "short-lived"]);
    expect(await introspect(access_token)).toEqual({ active: false });
  });

  test("it cannot start a user's sign-in: the authorization code flow is not its grant", async () => {
    const tokenAttempt = await server.fetch("/oauth2/v1/token", {
      method: "POST", headers: { authorization: `Basic ${btoa(`reporting-job:${machineSecret}`)}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", redirect_uri: "https://rp.example/cb", code_verifier: "x".repeat(43) }),
    });
    expect(tokenAttempt.status).toBe(400);
    expect(((await tokenAttempt.json()) as { error: string }).error).toBe("unauthorized_client");
  });
});

describe("RFC 6749 §4.4 errors", () => {
  let rp: RelyingParty;
  let spa: RelyingParty;
  beforeAll(async () => {
    rp = await discoverRelyingParty(server, p, "confidential");
    spa = await discoverRelyingParty(server, p, "public");
  });

  test("a wrong secret is invalid_client (401, with the Basic challenge)", async () => {
    const wrong = await discoverMachine("reporting-job", "not-the-secret");
    expect(errorShape(await rejectionOf(client.clientCredentialsGrant(wrong)))).toMatchObject({ name: "WWWAuthenticateChallengeError", status: 401 });
    const answer = await machineToken("reporting-job", "not-the-secret");
    expect({ status: answer.status, error: ((await answer.json()) as { error: string }).error }).toEqual({ status: 401, error: "invalid_client" });
  });

  test("a public client is unauthorized_client", async () => {
    expect(errorShape(await rejectionOf(client.clientCredentialsGrant(spa.config)))).toEqual({ name: "ResponseBodyError", status: 400, error: "unauthorized_client" });
  });

  test("a confidential client not registered for it is unauthorized_client", async () => {
    expect(errorShape(await rejectionOf(client.clientCredentialsGrant(rp.config)))).toEqual({ name: "ResponseBodyError", status: 400, error: "unauthorized_client" });
  });

  test("another tenant's machine client, or its token, is nothing here", async () => {
    const other = await provision(server, "contoso.localhost");
    const out = await server.cliOk(["client", "add", "contoso.localhost", "reporting-job", "--confidential", "--grant", "client_credentials", "--scope", "sigil:admin"]);
    const secret = /^secret: (\S+)$/m.exec(out)![1]!;
    // Same client_id, other tenant: the secret of one is not the secret of the other.
    expect((await machineToken("reporting-job", secret)).status).toBe(401);
    const { access_token } = (await (await machineToken("reporting-job", secret, "contoso.localhost")).json()) as { access_token: string };
    expect(access_token).toBeString();
    expect(await introspect(access_token)).toEqual({ active: false });
    expect(other.host).toBe("contoso.localhost");
  });

  test("client list shows a machine client's grant and scopes", async () => {
    expect((await server.cliOk(["client", "list", "localhost"])).split("\n")).toContain("reporting-job\tconfidential\t\tclient_credentials\tsigil:admin reports:read");
  });

  test("the CLI refuses what cannot work: a public machine client, user scopes, scopes without the grant", async () => {
    for (const args of [
      ["client", "add", "localhost", "m1", "--grant", "client_credentials", "--scope", "x"],
      ["client", "add", "localhost", "m2", "--confidential", "--grant", "client_credentials", "--scope", "openid"],
      ["client", "add", "localhost", "m3", "--confidential", "--redirect-uri", "https://m3.example/cb", "--scope", "x"],
      ["client", "add", "localhost", "m4", "--confidential", "--grant", "password"],
      ["client", "add", "localhost", "m5", "--confidential", "--grant", "client_credentials", "--scope", 'quote"d'],
    ]) {
      const result = await server.cli(args);
      expect({ args: args.slice(3).join(" "), code: result.code === 0 ? 0 : 1, lines: result.stderr.trim().split("\n").length }).toEqual({ args: args.slice(3).join(" "), code: 1, lines: 1 });
    }
  });
});
