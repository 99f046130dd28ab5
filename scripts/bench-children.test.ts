// The benchmark's clean-up kills what it started, with everything that started in turn, and
// nothing else: a tracked id that is no longer its child (the id may be another process's now).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { killChildren, track, untrack } from "./bench-children.ts";

/** A shell (our child) running a sleep (our grandchild), and the sleep's id. */
async function shellWithSleep() {
  const shell = Bun.spawn(["sh", "-c", "sleep 30 & echo $!; wait"], { stdout: "pipe", stderr: "ignore" });
  const reader = shell.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return { shell, sleepPid: Number(new TextDecoder().decode(value).trim()) };
}

/** Running, as opposed to gone or a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 100 && running(pid); tries++) await Bun.sleep(20);
  return !running(pid);
}

test("killChildren kills a tracked child and the processes it started", async () => {
  const { shell, sleepPid } = await shellWithSleep();
  track(shell.pid);
  killChildren();
  expect(await shell.exited).not.toBe(0);
  expect(shell.signalCode).toBe("SIGKILL");
  expect(await gone(sleepPid)).toBe(true);
});

test("killChildren leaves alone a tracked id whose process is not its child", async () => {
  const { shell, sleepPid } = await shellWithSleep();
  try {
    track(sleepPid);
    killChildren();
    await Bun.sleep(100);
    expect(running(sleepPid)).toBe(true);
  } finally {
    untrack(sleepPid);
    process.kill(sleepPid, "SIGKILL");
    shell.kill("SIGKILL");
    await shell.exited;
  }
});
