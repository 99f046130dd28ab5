// The product is one executable, copied alone into an empty directory and run from there with its
// data elsewhere: it serves discovery and the embedded sign-in page, and its CLI commands work.
// On Bun (default) that is dist/sigil; with SIGIL_RUNTIME=deno or deno-binary it is dist/sigil-deno
// (a `deno compile` executable, or where denort cannot be had the single-file bundle), run with
// nothing but the pinned deno on PATH and an empty DENO_DIR, so nothing from the repository, npm or
// a cache can help it. SIGIL_BIN names a binary to use as it is instead of the built one.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ensureBinary } from "../support/binary.ts";
import type { Provisioned } from "../support/fixtures.ts";
import { jwtPart, loginStatus, tokensFor } from "../support/operations.ts";
import { DENO, selectedRuntime } from "../support/runtime.ts";
import { runCli, startSigil, type SigilServer } from "../support/sigil.ts";
import { accountToken } from "../support/totp.ts";
import { createTestIssuer } from "../support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier } from "../support/wallet/wallet.ts";

const ON_DENO = selectedRuntime().startsWith("deno");
let lonelyDir: string | undefined;
let dataDir: string | undefined;
let denoHome: string | undefined;
let server: SigilServer | undefined;
let binary: string;
/** How the binary is started: itself, and on Deno through env with a PATH holding only deno and the system's tools. */
let command: string[];

beforeAll(async () => {
  const built = (await ensureBinary({ target: ON_DENO ? "deno" : "bun", bin: process.env.SIGIL_BIN })).path;
  lonelyDir = mkdtempSync(join(tmpdir(), "sigil-lonely-"));
  binary = join(lonelyDir, process.env.SIGIL_BIN ? basename(built) : ON_DENO ? "sigil-deno" : "sigil");
  copyFileSync(built, binary);
  chmodSync(binary, 0o755);
  dataDir = mkdtempSync(join(tmpdir(), "sigil-binary-data-"));
  command = [binary];
  if (ON_DENO) {
    // deno alone in a directory of its own (not node_modules/.bin, which holds bun), and a DENO_DIR with no cache in it.
    denoHome = mkdtempSync(join(tmpdir(), "sigil-deno-home-"));
    mkdirSync(join(denoHome, "bin"));
    mkdirSync(join(denoHome, "cache"));
    symlinkSync(realpathSync(DENO), join(denoHome, "bin", "deno"));
    command = ["/usr/bin/env", `PATH=${join(denoHome, "bin")}:/usr/bin:/bin`, `DENO_DIR=${join(denoHome, "cache")}`, binary];
  }
  // Neither bun nor the repository is involved from here on: the binary runs from its own empty directory.
  server = await startSigil({ command, cwd: lonelyDir, dataDir });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [dataDir, lonelyDir, denoHome]) if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the binary alone in a directory answers discovery with issuer http://localhost:PORT", async () => {
  const response = await server!.fetch("/.well-known/openid-configuration");
  expect(response.status).toBe(200);
  const discovery = (await response.json()) as { issuer: string; jwks_uri: string };
  expect(discovery.issuer).toBe(`http://localhost:${server!.port}`);
  expect(discovery.jwks_uri.startsWith(`http://localhost:${server!.port}/`)).toBe(true);
});

test("the binary serves the embedded /login.html as text/html under a Content-Security-Policy", async () => {
  const page = await server!.fetch("/login.html");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  const csp = page.headers.get("content-security-policy");
  expect(csp).not.toBeNull();
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("'unsafe-inline'");
  expect(await page.text()).toMatch(/<form|<html/i);
});

test("the binary's CLI works on the served data directory: tenant list shows localhost", async () => {
  const listed = await server!.cli(["tenant", "list"]);
  expect({ code: listed.code, stdout: listed.stdout, stderr: listed.stderr }).toEqual({ code: 0, stdout: "localhost\trealm=localhost\n", stderr: "" });
  // A change made by the binary's CLI reaches the binary's server.
  expect((await server!.cli(["tenant", "add", "acme.localhost"])).code).toBe(0);
  const acme = await server!.fetch("/.well-known/openid-configuration", { host: "acme.localhost" });
  expect(acme.status).toBe(200);
});

test("the binary's user add --password-stdin and client add take effect: the user signs in at the binary's server", async () => {
  await server!.cliOk(["user", "add", "localhost", "binny", "--password-stdin"], "bin pw\n");
  const out = await server!.cliOk(["client", "add", "localhost", "bin-rp", "--redirect-uri", "https://bin.example/cb", "--confidential"]);
  const p: Provisioned = {
    host: "localhost", username: "binny", password: "bin pw", clientId: "bin-rp", clientSecret: /^secret: (\S+)$/m.exec(out)![1]!,
    publicClientId: "bin-rp", redirectUri: "https://bin.example/cb", postLogoutRedirectUri: "https://bin.example/cb",
  };
  expect(await loginStatus(server!, p, "binny", "bin pw")).toBe(200);
  expect(await loginStatus(server!, p, "binny", "bin pw\n")).toBe(401);
  const tokens = await tokensFor(server!, p, "binny", "bin pw");
  expect(jwtPart(tokens.id_token!, 1).iss).toBe(`http://localhost:${server!.port}`);
});

test("what the binary loads on first use works: wallet engine, passkeys, TOTP, QR codes and mail", async () => {
  // The trust CLI and the wallet verifier load the OpenID4VP engine (x509, SD-JWT, DCQL) on demand.
  const issuer = await createTestIssuer();
  await server!.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  const out = await server!.cliOk(["client", "add", "localhost", "bin-verifier", "--redirect-uri", "https://bin.example/cb", "--confidential"]);
  const basic = `Basic ${btoa(`bin-verifier:${/^secret: (\S+)$/m.exec(out)![1]!}`)}`;
  const created = await server!.fetch("/oid4vp/v1/presentations", { method: "POST", headers: { authorization: basic, "content-type": "application/json" }, body: "{}" });
  expect(created.status).toBe(201);
  const { wallet_url: walletUrl, transaction_id: id } = (await created.json()) as { wallet_url: string; transaction_id: string };
  expect((await presentToVerifier(await createTestWallet(issuer), walletUrl, { fetch })).status).toBe(200);
  const read = (await (await server!.fetch(`/oid4vp/v1/presentations/${id}`, { headers: { authorization: basic } })).json()) as { status: string };
  expect(read.status).toBe("verified");
  // SimpleWebAuthn, otplib and qrcode load on the first ceremony or enrolment.
  const p: Provisioned = {
    host: "localhost", username: "binny", password: "bin pw", clientId: "sigil-account", clientSecret: "",
    publicClientId: "sigil-account", redirectUri: `${server!.origin()}/account.html`, postLogoutRedirectUri: `${server!.origin()}/account.html`,
  };
  const token = await accountToken(server!, p);
  const enrolment = await server!.fetch("/account/v1/totp/enrolment", { method: "POST", headers: { authorization: `Bearer ${token}` } });
  expect(((await enrolment.json()) as { qr_svg: string }).qr_svg).toStartWith("<svg");
  const registration = await server!.fetch("/account/v1/passkeys/registration", { method: "POST", headers: { authorization: `Bearer ${token}` } });
  expect(((await registration.json()) as { options: { rp: { id: string } } }).options.rp.id).toBe("localhost");
  // nodemailer loads with the first message: with no SMTP server it is filed in the outbox.
  const recovery = await server!.fetch("/oauth2/v1/recover-start", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "binny@example.org" }) });
  expect(recovery.status).toBe(200);
});

test("the binary's CLI refuses bad input with one sigil: line", async () => {
  const refused = await runCli(dataDir!, ["tenant", "add", "bad_host!"], undefined, command, lonelyDir);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/^sigil: [^\n]+\n?$/);
});

test("running the binary left nothing beside it: its directory holds only the binary", () => {
  expect(readdirSync(lonelyDir!)).toEqual([basename(binary)]);
  expect(existsSync(join(dataDir!, "sigil.db"))).toBe(true);
});

test.if(ON_DENO)("deno fetched nothing to run it: its fresh DENO_DIR holds no npm package and no remote module", () => {
  // deno makes an empty npm/ folder at start; a package fetched would be a file in it.
  const fetched = ["npm", "remote", "jsr"].flatMap((dir) => existsSync(join(denoHome!, "cache", dir)) ? readdirSync(join(denoHome!, "cache", dir), { recursive: true, encoding: "utf8" }) : []);
  expect(fetched).toEqual([]);
});
