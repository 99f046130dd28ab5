// Keeps the offline battery and conformance/expected-failures.json in step on the suite's warnings.
import { expect } from "bun:test";
import { join } from "node:path";

interface ExpectedFailureEntry {
  "test-name": string;
  condition: string;
  "expected-result": string;
}

/**
 * For a condition the suite rates WARNING: the live runner (conformance/run) fails on any warning
 * that conformance/expected-failures.json does not list, and on any listed entry nothing used. So
 * when Sigil's behaviour draws the warning, the file must list it; when it does not, the file must not.
 */
export async function expectWarningAccountedFor(module: string, condition: string, warned: boolean, because: unknown = null): Promise<void> {
  const entries = (await Bun.file(join(import.meta.dir, "..", "..", "expected-failures.json")).json()) as ExpectedFailureEntry[];
  const listed = entries.some((entry) => entry["test-name"] === module && entry.condition === condition);
  // `because` rides along so that a failure shows what drew the warning.
  expect({ module, condition, suiteWarns: warned, because, listedInExpectedFailures: listed })
    .toEqual({ module, condition, suiteWarns: warned, because, listedInExpectedFailures: warned });
}
