// The product is one executable: dist/sigil, built here, copied alone into an empty directory,
// serves discovery and the embedded sign-in page, and runs CLI commands.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSigil, type SigilServer } from "./support/sigil.ts";

const ROOT = join(import.meta.dir, "..");
let lonelyDir: string;
let server: SigilServer;

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, join(ROOT, "scripts", "build.ts")], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if ((await build.exited) !== 0) throw new Error(`build failed: ${await new Response(build.stderr).text()}`);
  lonelyDir = mkdtempSync(join(tmpdir(), "sigil-binary-"));
  copyFileSync(join(ROOT, "dist", "sigil"), join(lonelyDir, "sigil"));
  chmodSync(join(lonelyDir, "sigil"), 0o755);
  server = await startSigil({ command: [join(lonelyDir, "sigil")], cwd: lonelyDir });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  if (lonelyDir) rmSync(lonelyDir, { recursive: true, force: true });
});

test("the binary alone in a directory answers discovery with its own origin as issuer", async () => {
  expect(readdirSync(lonelyDir)).toEqual(["sigil"]);
  const response = await server.fetch("/.well-known/openid-configuration");
  expect(response.status).toBe(200);
  expect(((await response.json()) as { issuer: string }).issuer).toBe(server.origin());
});

test("the binary serves the embedded sign-in page and its script under a strict CSP", async () => {
  const page = await server.fetch("/login.html");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toContain("text/html");
  expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  expect(await page.text()).toContain('id="username"');
  const script = await server.fetch("/login.js");
  expect(script.status).toBe(200);
  expect(script.headers.get("content-type")).toContain("javascript");
});

test("the binary's CLI works on the data directory while it serves", async () => {
  const added = await server.cli(["tenant", "add", "acme.localhost"]);
  expect(added.code).toBe(0);
  const listed = await server.cli(["tenant", "list"]);
  expect(listed.stdout).toContain("acme.localhost");
  const acme = await server.fetch("/.well-known/openid-configuration", { host: "acme.localhost" });
  expect(acme.status).toBe(200);
});
