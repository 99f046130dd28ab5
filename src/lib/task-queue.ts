/**
 * Work that must happen after the answer is on its way: a look-up and a mail whose duration
 * would otherwise tell the caller whether an address belongs to anyone. Tasks run one at a
 * time on a later turn of the event loop (a timer, so the response is flushed first); the
 * queue is bounded, and a task's failure is logged, never thrown at anyone.
 */
export class TaskQueue {
  private readonly tasks: (() => Promise<void>)[] = [];
  private running = false;
  private idle: (() => void)[] = [];

  constructor(private readonly capacity = 10_000, private readonly log: (message: string) => void = (message) => console.error(message)) {}

  /** Queues a task; false (and one log line) when the queue is full. */
  enqueue(name: string, task: () => Promise<void>): boolean {
    if (this.tasks.length >= this.capacity) {
      this.log(`background queue full: dropped ${name}`);
      return false;
    }
    this.tasks.push(async () => {
      try {
        await task();
      } catch (error) {
        this.log(`background ${name} failed: ${(error as Error)?.message ?? String(error)}`);
      }
    });
    if (!this.running) {
      this.running = true;
      setTimeout(() => void this.drain(), 0);
    }
    return true;
  }

  /** Resolves once every queued task has run (for shutdown and tests). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async drain(): Promise<void> {
    for (let task = this.tasks.shift(); task; task = this.tasks.shift()) await task();
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
