import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type Store } from "../store/index.ts";
import { storeAttemptLimit } from "./attempt-limit.ts";

let dir: string;
let nodeA: Store;
let nodeB: Store;
let now = 1_700_000_000;
const clock = () => now;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sigil-limit-"));
  // Two processes on one store: what two nodes behind a load balancer are.
  nodeA = openSqliteStore(dir);
  nodeB = openSqliteStore(dir);
});
afterEach(() => {
  nodeA.close();
  nodeB.close();
  rmSync(dir, { recursive: true, force: true });
});

test("failures recorded on one node count on every node, until the oldest leaves the window", async () => {
  const onA = storeAttemptLimit(nodeA, "login-failure", 3, 60, clock);
  const onB = storeAttemptLimit(nodeB, "login-failure", 3, 60, clock);
  await onA.record("203.0.113.7");
  now += 10;
  await onB.record("203.0.113.7");
  expect(await onA.retryAfter("203.0.113.7")).toBe(0);
  await onA.record("203.0.113.7");
  // Three in the window, two of them on A and one on B: both nodes refuse until the first (t=0) is 60 s old.
  expect(await onB.retryAfter("203.0.113.7")).toBe(50);
  expect(await onA.retryAfter("203.0.113.7")).toBe(50);
  expect(await onA.retryAfter("203.0.113.8")).toBe(0);
  now += 50;
  expect(await onB.retryAfter("203.0.113.7")).toBe(0);
});

test("many attempts in one second count one by one, and limits sharing a key count apart", async () => {
  const login = storeAttemptLimit(nodeA, "login-failure", 5, 60, clock);
  const mail = storeAttemptLimit(nodeB, "mail-ip", 5, 900, clock);
  await Promise.all(Array.from({ length: 4 }, () => login.record("203.0.113.7")));
  expect(await login.retryAfter("203.0.113.7")).toBe(0);
  await login.record("203.0.113.7");
  expect(await login.retryAfter("203.0.113.7")).toBe(60);
  expect(await mail.retryAfter("203.0.113.7")).toBe(0);
});
