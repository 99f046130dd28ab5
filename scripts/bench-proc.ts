// What /proc says about a process and the machine, for the benchmark: memory, CPU time per process
// and per thread, the machine's busy time, and a process's descendants (to leave none behind).
import { readdirSync, readFileSync } from "node:fs";
import { round } from "./bench-stats.ts";

/** The process ids a process started (openssl -multi forks workers), from /proc. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)) {
        found.push(...descendants(child), child);
      }
    }
  } catch {
    // already gone
  }
  return found;
}

/** The parent process id of `pid` (0 when it is gone), from /proc/<pid>/stat. */
export function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** VmRSS / VmHWM of a process, and how much of the RSS is private (anon) or file-backed (the executable's pages), kB. */
export function memoryKb(pid: number): { rss: number; hwm: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: field("VmRSS"), hwm: field("VmHWM"), anon: field("RssAnon"), file: field("RssFile") };
}

/** USER_HZ is 100 on every Linux architecture Bun ships for. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used, ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime), counted from field 3 after the command name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** CPU ms per thread of a process, keyed "tid name" (the main thread's tid is the pid). */
export function threadCpuMs(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(`${tid} ${name}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/** Busy fraction of the wall time per thread name (main thread apart), from two threadCpuMs snapshots. */
export function threadBusy(pid: number, before: Map<string, number>, after: Map<string, number>, wallMs: number): { main: number; others: Record<string, number> } {
  let main = 0;
  const others: Record<string, number> = {};
  for (const [key, ms] of after) {
    const used = ms - (before.get(key) ?? 0);
    const [tid, ...rest] = key.split(" ");
    if (Number(tid) === pid) main = used / wallMs;
    else {
      const name = rest.join(" ").replace(/\d+$/, "#");
      others[name] = round((others[name] ?? 0) + used / wallMs, 3);
    }
  }
  return { main: round(main, 3), others };
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const parts = line.trim().split(/\s+/).slice(1).map(Number);
  const total = parts.reduce((a, b) => a + b, 0);
  const idle = (parts[3] ?? 0) + (parts[4] ?? 0);
  return { busy: total - idle, total };
}

export const mainThreadName = (pid: number) => readFileSync(`/proc/${pid}/comm`, "utf8").trim();
