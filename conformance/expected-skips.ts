// conformance/expected-skips.json: modules the suite is expected to SKIP against Sigil (a plan
// module whose precondition Sigil does not offer, such as a scope it does not support), each with
// a comment saying why, like the suite's own expected-skips files. A SKIPPED module that is not
// listed fails the run, and so does an entry no SKIPPED module used.

export interface ExpectedSkip {
  "test-name": string;
  variant: Record<string, string> | "*";
  "configuration-filename": string;
  comment: string;
}

export interface Skip {
  testName: string;
  variant: Record<string, string>;
  configurationFilename: string;
}

export function parseExpectedSkips(text: string): ExpectedSkip[] {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error("expected-skips.json must hold an array");
  return parsed.map((entry, index) => {
    const e = entry as Partial<ExpectedSkip>;
    for (const key of ["test-name", "configuration-filename", "comment"] as const) {
      if (typeof e[key] !== "string" || (e[key] as string).trim() === "") throw new Error(`expected-skips.json entry ${index}: "${key}" is required`);
    }
    if (e.variant !== "*" && (typeof e.variant !== "object" || e.variant === null)) throw new Error(`expected-skips.json entry ${index}: variant is an object or "*"`);
    return e as ExpectedSkip;
  });
}

const matches = (entry: ExpectedSkip, skip: Skip): boolean =>
  entry["test-name"] === skip.testName
  && (entry["configuration-filename"] === "*" || entry["configuration-filename"] === skip.configurationFilename)
  && (entry.variant === "*" || Object.entries(entry.variant).every(([key, value]) => skip.variant[key] === value));

/** Which skips nothing lists, and which entries no skip used. */
export function judgeSkips(expected: ExpectedSkip[], skips: Skip[]): { unexpected: Skip[]; unused: ExpectedSkip[] } {
  const used = new Set<ExpectedSkip>();
  const unexpected: Skip[] = [];
  for (const skip of skips) {
    const entry = expected.find((candidate) => matches(candidate, skip));
    if (entry) used.add(entry);
    else unexpected.push(skip);
  }
  return { unexpected, unused: expected.filter((entry) => !used.has(entry)) };
}
