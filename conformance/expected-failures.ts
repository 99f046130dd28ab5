// conformance/expected-failures.json, in the suite's own format: each entry names a module,
// its variant, the config file, the block, the condition and the result it is expected to
// give, with a comment saying why. Unexpected failures or warnings fail the run, and so
// does an entry nothing used.
import type { LogEntry } from "./suite-api.ts";

export interface ExpectedFailure {
  "test-name": string;
  variant: Record<string, string> | "*";
  "configuration-filename": string;
  "current-block"?: string;
  condition: string;
  "expected-result": "failure" | "warning";
  comment: string;
}

export interface Finding {
  testName: string;
  variant: Record<string, string>;
  configurationFilename: string;
  block: string | undefined;
  condition: string;
  result: "failure" | "warning";
  message: string;
}

/** Loads and checks the entries: every one needs a comment that says why. */
export function parseExpectedFailures(text: string): ExpectedFailure[] {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error("expected-failures.json must hold an array");
  return parsed.map((entry, index) => {
    const e = entry as Partial<ExpectedFailure>;
    for (const key of ["test-name", "configuration-filename", "condition", "expected-result", "comment"] as const) {
      if (typeof e[key] !== "string" || (e[key] as string).trim() === "") throw new Error(`expected-failures.json entry ${index}: "${key}" is required`);
    }
    if (e["expected-result"] !== "failure" && e["expected-result"] !== "warning") throw new Error(`expected-failures.json entry ${index}: expected-result is failure or warning`);
    if (e.variant !== "*" && (typeof e.variant !== "object" || e.variant === null)) throw new Error(`expected-failures.json entry ${index}: variant is an object or "*"`);
    return e as ExpectedFailure;
  });
}

/** The failures and warnings a module's log reports. */
export function findingsOf(log: LogEntry[], testName: string, variant: Record<string, string>, configurationFilename: string): Finding[] {
  return log
    .filter((entry) => entry.result === "FAILURE" || entry.result === "WARNING")
    .map((entry) => ({
      testName, variant, configurationFilename, block: entry.blockId, condition: entry.src ?? "(unnamed condition)",
      result: entry.result === "FAILURE" ? "failure" : "warning", message: entry.msg ?? "",
    }));
}

const sameVariant = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
};

function matches(entry: ExpectedFailure, finding: Finding): boolean {
  return entry["test-name"] === finding.testName
    && (entry.variant === "*" || sameVariant(entry.variant, finding.variant))
    && (entry["configuration-filename"] === "*" || entry["configuration-filename"] === finding.configurationFilename)
    && (entry["current-block"] === undefined || entry["current-block"] === finding.block)
    && entry.condition === finding.condition
    && entry["expected-result"] === finding.result;
}

/** Splits findings into expected and unexpected, and lists the entries nothing used. */
export function judge(entries: ExpectedFailure[], findings: Finding[]): { unexpected: Finding[]; unused: ExpectedFailure[] } {
  const used = new Set<ExpectedFailure>();
  const unexpected: Finding[] = [];
  for (const finding of findings) {
    const entry = entries.find((candidate) => matches(candidate, finding));
    if (entry) used.add(entry);
    else unexpected.push(finding);
  }
  return { unexpected, unused: entries.filter((entry) => !used.has(entry)) };
}
