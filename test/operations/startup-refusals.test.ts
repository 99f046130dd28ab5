// Start-up refuses, in one line, what would otherwise start broken: a store whose keys the master key
// cannot open (a data directory restored without its master.key, or the wrong SIGIL_MASTER_KEY), and a
// port another server holds (Elysia's listen() once set reusePort, and two servers shared the port).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectCliRefusal } from "../support/operations.ts";
import { ROOT } from "../support/sigil-cli.ts";
import { removeDataDir, sigilCommand, startSigil, type CliResult, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;

beforeAll(async () => {
  server = await startSigil();
  // The first request makes the tenant's signing key, sealed under the master key.
  expect((await server.fetch("/.well-known/jwks.json")).status).toBe(200);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

/** `sigil serve` as an operator starts it; killed if it is still running after `ms` (it should have refused). */
async function serve(dataDir: string, args: string[], env: Record<string, string> = {}, ms = 15_000): Promise<CliResult> {
  const proc = Bun.spawn([...sigilCommand(), "serve", "--data", dataDir, "--listen", "127.0.0.1", ...args], {
    cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, SIGIL_DATA: undefined, SIGIL_MASTER_KEY: undefined, ...env },
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), ms);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A copy of the running server's data directory, as a careless restore would make it: the store without master.key. */
function copyWithoutMasterKey(): string {
  const copy = mkdtempSync(join(tmpdir(), "sigil-restored-"));
  for (const name of ["sigil.db", "sigil.db-wal", "sigil.db-shm"]) {
    if (existsSync(join(server.dataDir, name))) cpSync(join(server.dataDir, name), join(copy, name));
  }
  return copy;
}

test("a data directory restored without its master.key refuses to start, and no new key is made", async () => {
  const copy = copyWithoutMasterKey();
  try {
    const result = await serve(copy, ["--port", "0"]);
    expectCliRefusal(result, new RegExp(`^sigil: ${join(copy, "master.key").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} does not match this store: restore the original or set SIGIL_MASTER_KEY\n$`));
    expect(existsSync(join(copy, "master.key"))).toBe(false);
    // With the original key back, the same directory starts.
    cpSync(join(server.dataDir, "master.key"), join(copy, "master.key"));
    const restored = await startSigil({ dataDir: copy });
    expect((await restored.fetch("/.well-known/jwks.json")).status).toBe(200);
    await restored.stop();
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("a wrong SIGIL_MASTER_KEY refuses to start", async () => {
  const copy = copyWithoutMasterKey();
  try {
    const wrong = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    const result = await serve(copy, ["--port", "0"], { SIGIL_MASTER_KEY: wrong });
    expectCliRefusal(result, /^sigil: SIGIL_MASTER_KEY does not match this store: set the master key this store was made with\n$/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("a second serve on a port another server holds exits with one line naming the port", async () => {
  const other = mkdtempSync(join(tmpdir(), "sigil-second-"));
  try {
    const result = await serve(other, ["--port", String(server.port)]);
    expectCliRefusal(result, new RegExp(`^sigil: port ${server.port} is in use`));
    // The first server still answers: nothing took its traffic.
    expect((await server.fetch("/healthz")).status).toBe(200);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
