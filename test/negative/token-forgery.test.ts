// Forged bearer tokens at userinfo (RFC 6750 §3.1) and introspection (RFC 7662 §2.2): only an RS256
// at+jwt signed with a key the tenant publishes passes (RFC 8725 §3.1, §3.11; RFC 9068 §4).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { decodeJwtPart, expectJsonError, introspect, readAnswer, userinfo } from "../support/negative.ts";
import { obtainTokens } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let genuine: { access_token: string; id_token: string };
let claims: Record<string, unknown>;
let header: Record<string, unknown>;
let publishedJwk: JWK;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  genuine = (await obtainTokens(server, p)).tokens as { access_token: string; id_token: string };
  claims = decodeJwtPart(genuine.access_token, 1);
  header = decodeJwtPart(genuine.access_token, 0);
  const jwks = (await (await server.fetch("/.well-known/jwks.json")).json()) as { keys: JWK[] };
  publishedJwk = jwks.keys.find((key) => key.kid === header.kid)!;
  expect(publishedJwk).toBeDefined();
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** Fresh claims, copied from a genuine token so that only the signature is wrong. */
const freshClaims = () => {
  const now = Math.floor(Date.now() / 1000);
  return { ...claims, iat: now, exp: now + 600, jti: crypto.randomUUID() };
};

/** Userinfo refuses with 401 invalid_token and a Bearer challenge naming the error; introspection says inactive. */
async function expectRejected(token: string): Promise<void> {
  const info = await userinfo(server, p, token);
  const challenge = info.headers.get("www-authenticate") ?? "";
  const answer = await expectJsonError(info, 401, "invalid_token");
  expect(answer.json).not.toHaveProperty("sub");
  expect(answer.json).not.toHaveProperty("email");
  expect(challenge).toMatch(/^Bearer\b/);
  expect(challenge).toContain('error="invalid_token"');
  expect(await introspect(server, p, token)).toEqual({ active: false });
}

test("control: the genuine access token passes userinfo and introspection", async () => {
  const info = await userinfo(server, p, genuine.access_token);
  expect(info.status).toBe(200);
  expect(((await info.json()) as { sub: string }).sub).toBe(claims.sub as string);
  expect((await introspect(server, p, genuine.access_token)).active).toBe(true);
});

describe("a forged access token is refused at userinfo (401 invalid_token) and inactive at introspection", () => {
  test("alg=none with valid-looking claims and the published kid", async () => {
    await expectRejected(`${b64({ alg: "none", typ: "at+jwt", kid: header.kid })}.${b64(freshClaims())}.`);
  });

  test("alg=none keeping the genuine token's signature", async () => {
    const [, payload, signature] = genuine.access_token.split(".");
    await expectRejected(`${b64({ alg: "none", typ: "at+jwt", kid: header.kid })}.${payload}.${signature}`);
  });

  test("alg=NONE and alg=None spellings", async () => {
    for (const alg of ["NONE", "None", "nOnE"]) await expectRejected(`${b64({ alg, typ: "at+jwt", kid: header.kid })}.${b64(freshClaims())}.`);
  });

  test("HS256 keyed with the tenant's public RSA key as PEM (SPKI) text: the classic algorithm confusion", async () => {
    const publicKey = await importJWK({ kty: publishedJwk.kty, n: publishedJwk.n, e: publishedJwk.e }, "RS256", { extractable: true });
    const pem = await exportSPKI(publicKey as CryptoKey);
    const variants = [pem, pem.trimEnd(), `${pem.trimEnd()}\n`, pem.replace(/\n/g, "\r\n")];
    for (const text of new Set(variants)) {
      const forged = await new SignJWT(freshClaims())
        .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: header.kid as string })
        .sign(new TextEncoder().encode(text));
      await expectRejected(forged);
    }
  });

  test("HS256 keyed with the DER bytes of the public key and with the JWK's modulus bytes", async () => {
    const publicKey = await importJWK({ kty: publishedJwk.kty, n: publishedJwk.n, e: publishedJwk.e }, "RS256", { extractable: true });
    const pem = await exportSPKI(publicKey as CryptoKey);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    for (const secret of [new Uint8Array(der), new Uint8Array(Buffer.from(publishedJwk.n!, "base64url")), new TextEncoder().encode(JSON.stringify(publishedJwk))]) {
      const forged = await new SignJWT(freshClaims()).setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: header.kid as string }).sign(secret);
      await expectRejected(forged);
    }
  });

  test("RS256 signed by a fresh key under the kid copied from the JWKS", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(freshClaims()).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: header.kid as string }).sign(privateKey);
    await expectRejected(forged);
  });

  test("RS256 signed by a fresh key that names itself in an embedded jwk header", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const forged = await new SignJWT(freshClaims()).setProtectedHeader({ alg: "RS256", typ: "at+jwt", jwk }).sign(privateKey);
    await expectRejected(forged);
  });

  test("PS256 signed by a fresh key under the copied kid", async () => {
    const { privateKey } = await generateKeyPair("PS256");
    const forged = await new SignJWT(freshClaims()).setProtectedHeader({ alg: "PS256", typ: "at+jwt", kid: header.kid as string }).sign(privateKey);
    await expectRejected(forged);
  });

  test("the genuine token with a tampered payload (another scope) under its original signature", async () => {
    const [head, , signature] = genuine.access_token.split(".");
    await expectRejected(`${head}.${b64({ ...claims, scope: "openid profile email offline_access admin" })}.${signature}`);
  });

  test("an id_token presented as an access token (typ JWT, audience the client)", async () => {
    expect(decodeJwtPart(genuine.id_token, 0).typ).not.toBe("at+jwt");
    await expectRejected(genuine.id_token);
  });
});

test("a valid access token sent both in the header and in the body is refused with 400 invalid_request", async () => {
  const response = await server.fetch("/oauth2/v1/userinfo", {
    method: "POST",
    headers: { authorization: `Bearer ${genuine.access_token}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ access_token: genuine.access_token }),
  });
  const answer = await expectJsonError(response, 400, "invalid_request");
  expect(answer.json).not.toHaveProperty("sub");
  expect(answer.headers.get("www-authenticate") ?? "").toContain('error="invalid_request"');
});

test("control: the same valid token in the body alone is accepted", async () => {
  const response = await server.fetch("/oauth2/v1/userinfo", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ access_token: genuine.access_token }),
  });
  expect((await readAnswer(response)).status).toBe(200);
});
