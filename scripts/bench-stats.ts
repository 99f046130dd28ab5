// The benchmark's arithmetic: rounding, percentiles, medians, and a pool of concurrent workers
// pulling from a shared counter.

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The nearest-rank percentile of ascending `sorted` (NaN when empty). */
export const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
export const sortedOf = (values: number[]) => Float64Array.from(values).sort();
export const median = (values: number[]) => percentile(sortedOf(values), 50);

/** p50, p90, p99, max and mean of one field over many samples, in ms to 0.01. */
export function phaseStats<T>(samples: T[], pick: (sample: T) => number) {
  const sorted = sortedOf(samples.map(pick));
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: round(percentile(sorted, 50), 2), p90: round(percentile(sorted, 90), 2), p99: round(percentile(sorted, 99), 2), max: round(sorted[sorted.length - 1] ?? NaN, 2), mean: round(mean, 2) };
}

export interface PoolResult<T> {
  results: T[];
  errors: number;
  /** The messages of the first five failures. */
  firstErrors: string[];
  wallMs: number;
}

/** Runs `count` calls of `step` with `concurrency` workers; counts failures, keeps the first few messages. */
export async function pool<T>(count: number, concurrency: number, step: (index: number) => Promise<T>): Promise<PoolResult<T>> {
  let next = 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const results: T[] = [];
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        results.push(await step(index));
      } catch (error) {
        errors++;
        // A plain Error is an unexpected answer the flow driver described; anything else is a fault.
        if (firstErrors.length < 5) firstErrors.push(error instanceof Error && error.name === "Error" ? error.message : `exception: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, errors, firstErrors, wallMs: performance.now() - started };
}
