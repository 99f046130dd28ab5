import { expect, test } from "bun:test";
import { TaskQueue } from "./task-queue.ts";

test("runs tasks after the caller's turn, one at a time, in order", async () => {
  const queue = new TaskQueue();
  const seen: string[] = [];
  queue.enqueue("a", async () => {
    seen.push("a start");
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.push("a end");
  });
  queue.enqueue("b", async () => void seen.push("b"));
  seen.push("caller");
  await queue.whenIdle();
  expect(seen).toEqual(["caller", "a start", "a end", "b"]);
});

test("a failing task is logged and does not stop the next", async () => {
  const lines: string[] = [];
  const queue = new TaskQueue(10, (line) => lines.push(line));
  let ran = false;
  queue.enqueue("boom", async () => {
    throw new Error("mail server down");
  });
  queue.enqueue("next", async () => void (ran = true));
  await queue.whenIdle();
  expect(ran).toBe(true);
  expect(lines).toEqual(["background boom failed: mail server down"]);
});

test("refuses work past its capacity", async () => {
  const lines: string[] = [];
  const queue = new TaskQueue(2, (line) => lines.push(line));
  expect(queue.enqueue("1", async () => {})).toBe(true);
  expect(queue.enqueue("2", async () => {})).toBe(true);
  expect(queue.enqueue("3", async () => {})).toBe(false);
  expect(lines).toEqual(["background queue full: dropped 3"]);
  await queue.whenIdle();
});
