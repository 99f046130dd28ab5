// Nothing committed is lost on a crash: a server killed with SIGKILL in the middle of a
// burst of sign-ins and token requests restarts on the same data directory with every
// user, client, signing key and refresh token it had handed out.
import { afterAll, expect, test } from "bun:test";
import { provision } from "../support/fixtures.ts";
import { obtainCode, obtainTokens, tokenRequest } from "../support/oauth-flow.ts";
import { publishedKids, refreshWith, tokensFor, userinfoStatus } from "../support/operations.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer | undefined;
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0);

test("a server killed with SIGKILL mid-burst restarts with every committed user, client, key and refresh token", async () => {
  const first = (server = await startSigil());
  const p = await provision(first);
  const { tokens } = await obtainTokens(first, p);
  const kidsBefore = await publishedKids(first);
  expect(kidsBefore).toHaveLength(1);

  const users = ["bob", "carol", "dave"];
  for (const user of users) await first.cliOk(["user", "add", "localhost", user, "--password-stdin", "--email", `${user}@example.org`], `${user}-pw\n`);
  const clients = ["late-a", "late-b"];
  for (const client of clients) await first.cliOk(["client", "add", "localhost", client, "--redirect-uri", `https://${client}.example/cb`]);
  const usersBefore = lines(await first.cliOk(["user", "list", "localhost"]));
  const clientsBefore = lines(await first.cliOk(["client", "list", "localhost"]));
  // bob's token response arrived before the crash, so its refresh token was committed.
  const bobTokens = await tokensFor(first, p, "bob", "bob-pw");

  // 50 flows in flight at all times, not awaited (each starts another when it finishes); kill -9 about 100 ms in.
  const completed: string[] = [];
  let interrupted = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      try {
        completed.push((await obtainTokens(first, p)).tokens.refresh_token);
      } catch {
        interrupted++;
        return;
      }
    }
  };
  const burst = Array.from({ length: 50 }, worker);
  await Bun.sleep(100);
  await first.stop("SIGKILL");
  killed = true;
  await Promise.all(burst);
  expect(interrupted).toBeGreaterThan(0); // the kill really landed mid-burst

  const restarted = (server = await first.restart());
  expect(restarted.dataDir).toBe(first.dataDir);
  expect(lines(await restarted.cliOk(["user", "list", "localhost"]))).toEqual(usersBefore);
  expect(lines(await restarted.cliOk(["client", "list", "localhost"]))).toEqual(clientsBefore);
  for (const user of users) expect(usersBefore.some((line) => line.startsWith(`${user}\t`))).toBe(true);
  for (const client of clients) expect(clientsBefore.some((line) => line.startsWith(`${client}\t`))).toBe(true);
  expect(await publishedKids(restarted)).toEqual(kidsBefore);

  const refreshed = await tokenRequest(restarted, p, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  expect(refreshed.status).toBe(200);
  const bobRefreshed = await refreshWith(restarted, p, bobTokens.refresh_token);
  expect(bobRefreshed.status).toBe(200);
  // Every token response the burst received was sent after its refresh token was committed.
  for (const refreshToken of completed) expect((await refreshWith(restarted, p, refreshToken)).status).toBe(200);

  // A new flow works end to end, for a user added before the crash too.
  const fresh = await obtainTokens(restarted, p);
  expect(await userinfoStatus(restarted, fresh.tokens.access_token)).toBe(200);
  const carol = await tokensFor(restarted, p, "carol", "carol-pw");
  expect(await userinfoStatus(restarted, carol.access_token)).toBe(200);
  expect((await obtainCode(restarted, p)).code.length).toBeGreaterThanOrEqual(20);
}, 60_000);
