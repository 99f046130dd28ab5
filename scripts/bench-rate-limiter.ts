// The cost of one AttemptLimiter call with 10 keys held and with 200,000 distinct keys recorded
// (past its 100,000-key capacity), and their ratio: about 1 when a call's cost does not grow with
// the number of keys. A figure for a person to read, not a test: the machine is shared and noisy,
// so each side is the best of a few rounds.
//
//   bun scripts/bench-rate-limiter.ts [--calls N] [--rounds R]
import { parseArgs } from "node:util";
import { AttemptLimiter } from "../src/lib/rate-limiter.ts";

const { values } = parseArgs({ options: { calls: { type: "string", default: "100000" }, rounds: { type: "string", default: "5" } } });
const calls = Number(values.calls);
const rounds = Number(values.rounds);

const address = (prefix: number, i: number) => `${prefix}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Nanoseconds per call (a retryAfter then a record, as a failed sign-in does) after `keys` distinct keys were recorded. */
function perCall(keys: number): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const limiter = new AttemptLimiter(10, 60);
    const start = Date.now();
    for (let i = 0; i < keys; i++) limiter.record(address(10, i), start);
    // The calls come from 1,000 clients, so that the 10-key side stays small while it is measured.
    const names = Array.from({ length: calls }, (_, i) => address(172, i % 1000));
    const began = Bun.nanoseconds();
    for (const name of names) {
      limiter.retryAfter(name, start + 1);
      limiter.record(name, start + 1);
    }
    best = Math.min(best, (Bun.nanoseconds() - began) / calls);
  }
  return best;
}

perCall(10); // warm-up: let the JIT compile the limiter before either side is timed
const few = perCall(10);
const many = perCall(200_000);
console.log(`AttemptLimiter, best of ${rounds} rounds of ${calls} calls (retryAfter + record):`);
console.log(`  10 keys:       ${few.toFixed(0)} ns per call`);
console.log(`  200,000 keys:  ${many.toFixed(0)} ns per call`);
console.log(`  ratio:         ${(many / few).toFixed(2)}`);
