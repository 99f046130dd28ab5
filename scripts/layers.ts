// The one statement of DESIGN.md's "What may import what", as data for scripts/check-imports.ts.
// A layer is a folder under src/ (or a top-level file, by its name without .ts).
// Lowest level first: a layer may import itself and any lower level, never a higher
// level and never a peer on its own level. A folder under src/ that is in no level
// is reported, so a new domain cannot slip past the check by not being listed.
export const LEVELS: readonly (readonly string[])[] = [
  ["lib"],
  ["runtime"],
  ["config"],
  ["store"],
  ["tenant", "keys", "audit", "mail"],
  ["oid4vp"],
  ["verifier"],
  // The shared Services and request-context types: below every domain that takes them.
  ["context"],
  ["login"],
  ["oidc"],
  ["signin", "account", "admin"],
  // Prometheus metrics (the only user of prom-client): fed through plain callbacks by the audit
  // log and the store wrapper, so no domain imports it; only http/ and the CLI wire it in.
  ["metrics"],
  ["http"],
  ["app"],
  // DESIGN.md draws main and cli side by side above app, but main is "the entry: parse the
  // command line, dispatch to cli/ or serve", so it must import cli: main sits above cli.
  ["cli"],
  ["main"],
];

/**
 * Arrows that break the layers today and are allowed until their file moves, each with why.
 * Written as the checker prints them ("src/a.ts → src/b.ts"). An entry that no longer
 * occurs is itself reported, so the list can only shrink.
 */
export const KNOWN_EXCEPTIONS: readonly { arrow: string; because: string }[] = [];

/** Which layers (or, for `files`, which file names anywhere under src/) may do what each rule restricts. */
export type PlaceRule = {
  /** On in CI (`npm run check:imports`); an off rule runs with `--rule NAME` or `--all`. */
  ci: boolean;
  layers: readonly string[];
  files?: readonly string[];
  because: string;
};

export const PLACE_RULES = {
  // DESIGN.md puts the SQLite driver in runtime/ and the SQL in store/: both may import the driver.
  "sqlite-in-store": { ci: true, layers: ["store", "runtime"], because: "only store speaks SQL" },
  "env-in-config": { ci: true, layers: ["config"], because: "only config reads the environment" },
  "bun-deno-in-runtime": { ci: true, layers: ["runtime"], because: "only runtime names Bun or Deno" },
  "elysia-in-routes": { ci: true, layers: ["http", "app"], files: ["routes.ts"], because: "only route files, http and app import Elysia" },
} as const satisfies Record<string, PlaceRule>;

export type RuleName = "layers" | keyof typeof PLACE_RULES;

/** Modules that mean SQL or a database driver. */
export const SQL_MODULES: readonly string[] = ["bun:sqlite", "node:sqlite", "pg", "postgres", "@db/sqlite", "jsr:@db/sqlite"];
/** Bun's test runner is how tests run, not something the product does differently on Deno. */
export const RUNTIME_MODULE_EXEMPT: readonly string[] = ["bun:test"];
