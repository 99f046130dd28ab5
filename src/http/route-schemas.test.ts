// Every parameter a handler reads is declared in its route's schema, so the schemas (and the docs
// generated from them) cannot drift from the code: a new `params.get("x")` without a declaration fails here.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNT_ROUTES } from "../account/index.ts";
import type { ParamSchema } from "../lib/params.ts";
import { OIDC_ENDPOINTS } from "../oidc/index.ts";
import { SIGNIN_ENDPOINTS } from "../signin/index.ts";
import { VERIFIER_ROUTES } from "../verifier/index.ts";

const SRC = join(import.meta.dir, "..");
const declared = (routes: readonly { params: ParamSchema }[]) => new Set(routes.flatMap((route) => Object.keys(route.params.properties)));

/** The names a domain's handlers read with params.get/has/repeatedAmong. */
function namesRead(domain: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(join(SRC, domain), { recursive: true }) as string[]) {
    if (!entry.endsWith(".ts") || entry.endsWith(".test.ts")) continue;
    const text = readFileSync(join(SRC, domain, entry), "utf8");
    for (const match of text.matchAll(/params\.(?:get|has)\("([a-z_]+)"\)/g)) found.set(match[1]!, `${domain}/${entry}`);
    for (const match of text.matchAll(/repeatedAmong\(\[([^\]]*)\]/g)) {
      for (const name of match[1]!.matchAll(/"([a-z_]+)"/g)) found.set(name[1]!, `${domain}/${entry}`);
    }
  }
  return found;
}

test.each([
  ["oidc", declared(OIDC_ENDPOINTS)],
  ["signin", declared(SIGNIN_ENDPOINTS)],
  ["account", declared(ACCOUNT_ROUTES)],
  ["verifier", declared(VERIFIER_ROUTES)],
] as const)("every parameter %s reads is declared in one of its routes' schemas", (domain, names) => {
  const read = namesRead(domain);
  expect(read.size).toBeGreaterThan(0);
  const undeclared = [...read].filter(([name]) => !names.has(name)).map(([name, file]) => `${name} (${file})`);
  expect(undeclared).toEqual([]);
});
