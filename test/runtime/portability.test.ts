// One data directory, two executables: written by the Bun executable (dist/sigil), then served by the
// Deno one (dist/sigil-deno: node:sqlite instead of bun:sqlite; the single-file bundle where denort cannot
// be had, see scripts/build-deno.ts), then by the Bun executable again. Users, clients, signing keys and
// refresh tokens carry across both ways. Also: a taken port is one clear line on each.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectCliRefusal, kidOf, publishedKids, refreshWith, tokensFor } from "../support/operations.ts";
import { runtimeCommand } from "../support/runtime.ts";
import { removeDataDir, runCli, startSigil, type SigilServer } from "../support/sigil.ts";

const dataDir = mkdtempSync(join(tmpdir(), "sigil-portable-"));
let bunBinary: string[];
let deno: string[];
beforeAll(() => {
  bunBinary = runtimeCommand("bun-binary");
  deno = runtimeCommand("deno-binary");
}, 180_000);
afterAll(() => removeDataDir(dataDir));

test("a data directory written by the Bun executable is served by Deno, and what Deno writes is served by Bun again", async () => {
  let server: SigilServer = await startSigil({ command: bunBinary, dataDir });
  let p: Provisioned;
  let kids: string[];
  let refreshToken: string;
  try {
    p = await provision(server);
    const tokens = await tokensFor(server, p, p.username, p.password);
    refreshToken = tokens.refresh_token;
    kids = await publishedKids(server);
    expect(kids).toContain(kidOf(tokens.id_token!));
  } finally {
    await server.stop();
  }

  server = await startSigil({ command: deno, dataDir });
  try {
    // The same keys, the same user and client, and a refresh token Bun issued and Deno honours.
    expect(await publishedKids(server)).toEqual(kids);
    const refreshed = await refreshWith(server, p, refreshToken);
    expect(refreshed.status).toBe(200);
    refreshToken = refreshed.body.refresh_token!;
    const tokens = await tokensFor(server, p, p.username, p.password);
    expect(kids).toContain(kidOf(tokens.id_token!));
    // The Deno executable's CLI writes a second user; Bun must read it below.
    await server.cliOk(["user", "add", "localhost", "dina", "--password-stdin"], "dina pw\n");
  } finally {
    await server.stop();
  }

  server = await startSigil({ command: bunBinary, dataDir });
  try {
    expect((await refreshWith(server, p, refreshToken)).status).toBe(200);
    const dina = { ...p, username: "dina", password: "dina pw" };
    expect((await tokensFor(server, dina, dina.username, dina.password)).access_token).toBeString();
  } finally {
    await server.stop();
  }
}, 120_000);

describe.each([["the Bun executable", () => bunBinary], ["the Deno executable", () => deno]] as const)("on %s", (_name, command) => {
  let holder: SigilServer;
  beforeAll(async () => {
    holder = await startSigil({ removeOnStop: true });
  }, 60_000);
  afterAll(() => holder.stop());

  test("serve on a port another process holds exits non-zero with one line naming the port", async () => {
    const other = mkdtempSync(join(tmpdir(), "sigil-port-"));
    try {
      const result = await runCli(other, ["serve", "--port", String(holder.port), "--listen", "127.0.0.1"], undefined, command(), undefined, 20_000);
      expectCliRefusal(result, new RegExp(`^sigil: port ${holder.port} is in use: stop whatever holds it or choose another$`, "m"));
    } finally {
      removeDataDir(other);
    }
  }, 30_000);
});
