// kill -9 in the middle of traffic loses nothing that was committed: users, clients, the
// signing key and live refresh tokens are all there when the next serve opens the store.
import { afterAll, expect, test } from "bun:test";
import { provision } from "./support/fixtures.ts";
import { obtainCode, obtainTokens, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

test("a server killed with SIGKILL mid-burst restarts with every committed row intact", async () => {
  server = await startSigil();
  const p = await provision(server);
  const { tokens } = await obtainTokens(server, p);
  const jwksBefore = await (await server.fetch("/.well-known/jwks.json")).text();
  await server.cliOk(["user", "add", "localhost", "bob", "--ha1", "0123456789abcdef0123456789abcdef"]);
  await server.cliOk(["client", "add", "localhost", "late-client", "--redirect-uri", "https://late.example/cb"]);

  // Fire flows without waiting, then kill -9 while they are in flight.
  const burst = Array.from({ length: 40 }, () => obtainTokens(server, p).catch(() => null));
  await Bun.sleep(100);
  await server.stop("SIGKILL");
  await Promise.all(burst);

  server = await server.restart();
  expect((await server.cliOk(["user", "list", "localhost"]))).toContain("bob");
  expect((await server.cliOk(["client", "list", "localhost"]))).toContain("late-client");
  expect(await (await server.fetch("/.well-known/jwks.json")).text()).toBe(jwksBefore);

  const refreshed = await tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  expect(refreshed.status).toBe(200);
  const fresh = await obtainCode(server, p);
  expect(fresh.code.length).toBeGreaterThanOrEqual(43);
}, 60_000);
