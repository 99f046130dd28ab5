// The harness's own promises: a template is served as a copy and the copy goes with the server, a
// server that cannot start fails loudly with its output, a server orphaned by a dead test process is
// killed and its directory removed, and the flow driver refuses a sign-in answer for another request.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addUser } from "./fixtures.ts";
import { readCode } from "./oauth-flow.ts";
import { removeDataDir, startSigil } from "./sigil.ts";

let template: string;
beforeAll(async () => {
  const server = await startSigil({ settleMs: 0 });
  await addUser(server, "localhost", "dinah", "cat-of-alice-1");
  await server.stop();
  template = server.dataDir;
});
afterAll(() => removeDataDir(template));

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await Bun.sleep(50)) if (check()) return true;
  return check();
}

test("a template is served as a fresh copy, which removeOnStop removes while the template stays", async () => {
  const server = await startSigil({ template, removeOnStop: true, settleMs: 0 });
  try {
    expect(server.dataDir).not.toBe(template);
    expect(await server.cliOk(["user", "list", "localhost"])).toContain("dinah");
  } finally {
    await server.stop();
  }
  expect(existsSync(server.dataDir)).toBe(false);
  expect(existsSync(join(template, "sigil.db"))).toBe(true);
});

test("a server that exits before listening rejects with its own output, and its directory is removed", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-test-"));
  const failed = startSigil({ dataDir, template, removeOnStop: true, args: ["--no-such-option"] });
  const error = (await failed.then(() => null, (e: unknown) => e)) as Error | null;
  expect(error?.message).toMatch(/^sigil did not start \(exited/);
  expect(error?.message).toContain("--no-such-option");
  expect(existsSync(dataDir)).toBe(false);
});

test("with watchdog, a server whose test process dies is killed and its directory removed", async () => {
  const script = `const { startSigil } = await import(${JSON.stringify(join(import.meta.dir, "sigil.ts"))});
    const s = await startSigil({ template: ${JSON.stringify(template)}, watchdog: true, settleMs: 0 });
    console.log(JSON.stringify({ pid: s.pid, dir: s.dataDir }));
    process.kill(process.pid, "SIGKILL");`;
  const orphaner = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [out] = await Promise.all([new Response(orphaner.stdout).text(), orphaner.exited]);
  const { pid, dir } = JSON.parse(out.trim()) as { pid: number; dir: string };
  try {
    expect(await eventually(() => !processAlive(pid) && !existsSync(dir))).toBe(true);
  } finally {
    if (processAlive(pid)) process.kill(pid, "SIGKILL");
    removeDataDir(dir);
  }
});

test("readCode takes a sign-in answer only when its redirect goes to the redirect_uri with the request's state", async () => {
  const party = { host: "localhost", username: "u", password: "p", clientId: "rp", clientSecret: "s", redirectUri: "https://rp.example/cb" };
  const answer = (redirect: string) => Response.json({ code: "c-1", redirect });
  expect((await readCode(answer("https://rp.example/cb?code=c-1&state=s-1"), party, "s-1")).code).toBe("c-1");
  await expect(readCode(answer("https://rp.example/cb?code=c-1&state=s-2"), party, "s-1")).rejects.toThrow(/state/);
  await expect(readCode(answer("https://evil.example/cb?code=c-1&state=s-1"), party, "s-1")).rejects.toThrow(/no code for/);
  await expect(readCode(Response.json({ error: "access_denied" }, { status: 400 }), party, "s-1")).rejects.toThrow(/login failed: 400/);
});
