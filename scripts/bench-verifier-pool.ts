// The verifier benchmark's side of its Bun Workers (scripts/bench-verifier-worker.ts): one command in
// flight per worker, and all of them at once with the wall and CPU time it took.
import type { WorkerCommand, WorkerReply } from "./bench-verifier-worker.ts";

const COMMAND_TIMEOUT_MS = 600_000;

export type Reply<T extends WorkerReply["type"]> = Extract<WorkerReply, { type: T }>;

/** A worker with one command in flight at a time; progress messages go to `onProgress`. */
export class BenchWorker {
  private readonly worker = new Worker(new URL("./bench-verifier-worker.ts", import.meta.url).href);
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;
  onProgress: (reply: Reply<"progress">) => void = () => {};

  constructor(readonly index: number) {
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === "progress") return this.onProgress(reply);
      const pending = this.pending;
      this.pending = null;
      if (!pending) return;
      if (reply.type === "failed") pending.reject(new Error(`verifier worker ${this.index}: ${reply.error}`));
      else pending.resolve(reply);
    };
    this.worker.onerror = (event) => {
      this.pending?.reject(new Error(`verifier worker ${this.index}: ${event.message}`));
      this.pending = null;
    };
  }

  send<T extends WorkerReply["type"]>(command: WorkerCommand, expect: T): Promise<Reply<T>> {
    if (this.pending) throw new Error(`verifier worker ${this.index} is busy`);
    return new Promise<Reply<T>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`verifier worker ${this.index}: ${command.type} took over ${COMMAND_TIMEOUT_MS / 1000} s`)), COMMAND_TIMEOUT_MS);
      this.pending = {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === expect) resolve(reply as Reply<T>);
          else reject(new Error(`verifier worker ${this.index}: expected ${expect}, got ${reply.type}`));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.worker.postMessage(command);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** Every worker runs `command` at once; the wall time is from the first post to the last answer. */
/** `busyCores` is the process's CPU time (all threads, WebCrypto's pool included) over the wall time. */
export async function together<T extends WorkerReply["type"]>(workers: BenchWorker[], command: (w: BenchWorker) => WorkerCommand, expect: T): Promise<{ replies: Reply<T>[]; wallMs: number; cpuMs: number; busyCores: number }> {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const replies = await Promise.all(workers.map((w) => w.send(command(w), expect)));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { replies, wallMs, cpuMs, busyCores: cpuMs / wallMs };
}
