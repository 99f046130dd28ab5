// Waiting for a module's state against conformance/mock-suite.ts (the suite's own routes), and
// the pause that keeps a misbehaving server from turning the wait into a flood.
import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { MockSuite } from "./mock-suite.ts";
import { SuiteApi } from "./suite-api.ts";
import { waitForState, type SuiteGet } from "./wait-for-state.ts";

const suite = new MockSuite("t0ken");
const fast = { pollIntervalMs: 50, longPollMs: 30_000 };

beforeAll(() => void suite.listen());
afterAll(() => suite.stop());
beforeEach(() => {
  suite.generation = "current";
  suite.requests.length = 0;
  suite.modules = [{ name: "oidcc-server", result: "PASSED" }, { name: "oidcc-server-rotate-keys", result: "PASSED" }];
});

async function created(api: SuiteApi, name: string): Promise<string> {
  const plan = await api.createPlan("oidcc-basic-certification-test-plan", undefined, { alias: "sigil" });
  return api.createModule(plan.id, { testModule: name });
}

test("a module the suite does not know is a one-line error, on a current and on an older suite", async () => {
  for (const generation of ["current", "before-wait-state"] as const) {
    suite.generation = generation;
    const started = Date.now();
    const error = await new SuiteApi(suite.url, "t0ken", fast).waitFor("n0such", ["FINISHED"], 5000).catch((e: Error) => e);
    expect((error as Error).message).toBe("the suite does not know module n0such (wrong id, or another user's token)");
    expect(Date.now() - started).toBeLessThan(2000);
  }
});

test("after a suite restart, a finished module is read from its persisted info", async () => {
  const api = new SuiteApi(suite.url, "t0ken", fast);
  const id = await created(api, "oidcc-server");
  expect(await api.waitFor(id, ["FINISHED"], 5000)).toBe("FINISHED");
  suite.restart();
  suite.requests.length = 0;
  expect(await api.waitFor(id, ["FINISHED"], 5000)).toBe("FINISHED");
  expect(suite.requests.map((r) => r.path)).toEqual([`/api/runner/${id}/wait-state`, `/api/info/${id}`]);
});

test("after a suite restart, a module that had not ended fails at once instead of waiting out the deadline", async () => {
  const api = new SuiteApi(suite.url, "t0ken", fast);
  const id = await created(api, "oidcc-server-rotate-keys");
  expect(await api.waitFor(id, ["CONFIGURED"], 5000)).toBe("CONFIGURED");
  suite.restart();
  // CONFIGURED is wanted and persisted, but nothing can start the lost module any more.
  const error = await api.waitFor(id, ["CONFIGURED", "FINISHED"], 5000).catch((e: Error) => e);
  expect((error as Error).message).toBe(`the suite no longer runs module ${id} (its last status was CONFIGURED; did the suite restart?)`);
});

test("a module that finished without reaching the wanted state is an error, not a wait until the deadline", async () => {
  const api = new SuiteApi(suite.url, "t0ken", fast);
  const id = await created(api, "oidcc-server");
  await api.waitFor(id, ["FINISHED"], 5000);
  suite.generation = "before-wait-state";
  const error = await new SuiteApi(suite.url, "t0ken", fast).waitFor(id, ["WAITING"], 5000).catch((e: Error) => e);
  expect((error as Error).message).toBe(`module ${id} finished without reaching WAITING`);
});

test("a wrong token is a one-line error naming the token", async () => {
  const error = await new SuiteApi(suite.url, "wr0ng", fast).waitFor("x", ["FINISHED"], 5000).catch((e: Error) => e);
  expect((error as Error).message).toContain("the suite refused CONFORMANCE_TOKEN");
  expect((error as Error).message).not.toContain("\n");
});

test("never asks faster than the poll interval, even when every answer comes back at once", async () => {
  // Not the suite: a server (or proxy) that ignores timeoutMs, or answers in a shape this client does not know.
  for (const body of [{ timeout: true }, { status: "FINISHED" }, {}]) {
    let calls = 0;
    const get: SuiteGet = async () => (calls++, { status: 200, body });
    const error = await waitForState(get, { waitState: true }, "m1", ["FINISHED"], 1000, { pollIntervalMs: 100, longPollMs: 30_000 }).catch((e: Error) => e);
    expect((error as Error).message).toBe("module m1 did not reach FINISHED within 1000 ms");
    expect(calls).toBeGreaterThan(5);
    expect(calls).toBeLessThanOrEqual(11);
  }
});

test("asks the suite for no longer than what is left of the deadline", async () => {
  const budgets: number[] = [];
  const get: SuiteGet = async (_path, query) => (budgets.push(Number(query.timeoutMs)), { status: 200, body: { timeout: true } });
  await waitForState(get, { waitState: true }, "m1", ["FINISHED"], 300, { pollIntervalMs: 100, longPollMs: 30_000 }).catch(() => undefined);
  expect(budgets[0]).toBeLessThanOrEqual(300);
  expect(budgets.every((b) => b >= 1 && b <= 300)).toBe(true);
});
