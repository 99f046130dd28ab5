// `npm run check:imports`: fails when an import under src/ points the wrong way through
// the layers of scripts/layers.ts (DESIGN.md, "What may import what"). Type-only imports,
// re-exports and import() count: each is an arrow. One line per violation, exit 1 on any.
//   bun scripts/check-imports.ts [--rule NAME]... [--all] [--root DIR]
// --rule switches on one of the rules that are off in CI (see PLACE_RULES); --all, every rule.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { KNOWN_EXCEPTIONS, LEVELS, PLACE_RULES, RUNTIME_MODULE_EXEMPT, SQL_MODULES, type RuleName } from "./layers.ts";
import { findGlobalUses, findImports, tokenize } from "./scan-source.ts";

export type Violation = { rule: RuleName; file: string; message: string };

const SOURCE = /\.(d\.)?[cm]?[jt]sx?$/;
const levelOf = new Map<string, number>(LEVELS.flatMap((names, level) => names.map((name) => [name, level] as const)));

/** The layer a path under src/ belongs to: its first folder, or a top-level file's name. */
export function layerOf(pathFromSrc: string): string {
  const parts = pathFromSrc.split("/");
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(SOURCE, "");
}

export function ciRules(): RuleName[] {
  return ["layers", ...(Object.keys(PLACE_RULES) as (keyof typeof PLACE_RULES)[]).filter((name) => PLACE_RULES[name].ci)];
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : listSources(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

const posix = (path: string) => path.split(sep).join("/");

function allowedPlace(rule: keyof typeof PLACE_RULES, layer: string, fileName: string): boolean {
  const spec = PLACE_RULES[rule];
  return (spec.layers as readonly string[]).includes(layer) || ("files" in spec && (spec.files as readonly string[]).includes(fileName));
}

/**
 * Every violation of the given rules in root/src, sorted, one per (rule, file, target).
 * `exceptions` are arrows the layer rule lets pass (scripts/layers.ts); one that no longer occurs is a violation.
 */
export function checkImports(root: string, rules: readonly RuleName[] = ciRules(), exceptions: readonly { arrow: string }[] = KNOWN_EXCEPTIONS): Violation[] {
  const src = join(root, "src");
  const on = new Set(rules);
  const out = new Map<string, Violation>();
  const excepted = new Map(exceptions.map((e) => [e.arrow, false]));
  const add = (v: Violation) => out.set(`${v.rule}\0${v.file}\0${v.message}`, v);
  for (const path of listSources(src)) {
    const file = posix(relative(root, path));
    const fromSrc = posix(relative(src, path));
    const layer = layerOf(fromSrc);
    const fileName = fromSrc.split("/").pop()!;
    const tokens = tokenize(readFileSync(path, "utf8"));
    const imports = findImports(tokens);
    if (on.has("layers")) {
      if (!levelOf.has(layer)) add({ rule: "layers", file, message: `${file}: ${layer} is in no layer of scripts/layers.ts` });
      for (const { specifier } of imports) {
        if (specifier === null) { add({ rule: "layers", file, message: `${file}: import() of a computed name cannot be checked` }); continue; }
        if (!specifier.startsWith(".") && !specifier.startsWith("/")) continue; // a package, not a layer
        const target = resolve(dirname(path), specifier);
        const targetFromSrc = posix(relative(src, target));
        if (targetFromSrc.startsWith("../") || targetFromSrc === "..") continue; // outside src/: test support, web/
        const targetLayer = layerOf(targetFromSrc);
        const message = layerMessage(layer, targetLayer);
        const arrow = `${file} → ${posix(relative(root, target))}`;
        if (message && excepted.has(arrow)) excepted.set(arrow, true);
        else if (message) add({ rule: "layers", file, message: `${arrow}: ${message}` });
      }
    }
    if (on.has("sqlite-in-store") && !allowedPlace("sqlite-in-store", layer, fileName)) {
      for (const { specifier } of imports) {
        if (specifier && SQL_MODULES.includes(specifier)) add({ rule: "sqlite-in-store", file, message: `${file} → ${specifier}: ${PLACE_RULES["sqlite-in-store"].because}` });
      }
    }
    if (on.has("env-in-config") && !allowedPlace("env-in-config", layer, fileName)) {
      for (const use of findGlobalUses(tokens, new Set(["process", "Bun", "Deno"]))) {
        if (use.text.endsWith(".env")) add({ rule: "env-in-config", file, message: `${file}: ${use.text}: ${PLACE_RULES["env-in-config"].because}` });
      }
      if (tokens.some((t, i) => t.text === "import" && tokens[i + 1]?.text === "." && tokens[i + 2]?.text === "meta" && tokens[i + 4]?.text === "env")) {
        add({ rule: "env-in-config", file, message: `${file}: import.meta.env: ${PLACE_RULES["env-in-config"].because}` });
      }
    }
    if (on.has("bun-deno-in-runtime") && !allowedPlace("bun-deno-in-runtime", layer, fileName)) {
      for (const use of findGlobalUses(tokens, new Set(["Bun", "Deno"]))) add({ rule: "bun-deno-in-runtime", file, message: `${file}: ${use.text}: ${PLACE_RULES["bun-deno-in-runtime"].because}` });
      for (const { specifier } of imports) {
        if (specifier && /^(bun|bun:.*|deno|jsr:.*|npm:.*)$/.test(specifier) && !RUNTIME_MODULE_EXEMPT.includes(specifier)) {
          add({ rule: "bun-deno-in-runtime", file, message: `${file} → ${specifier}: ${PLACE_RULES["bun-deno-in-runtime"].because}` });
        }
      }
    }
    if (on.has("elysia-in-routes") && !allowedPlace("elysia-in-routes", layer, fileName)) {
      for (const { specifier } of imports) {
        if (specifier === "elysia" || specifier?.startsWith("elysia/") || specifier?.startsWith("@elysiajs/")) add({ rule: "elysia-in-routes", file, message: `${file} → ${specifier}: ${PLACE_RULES["elysia-in-routes"].because}` });
      }
    }
  }
  if (on.has("layers")) {
    for (const [arrow, seen] of excepted) {
      if (!seen) add({ rule: "layers", file: arrow.split(" → ")[0]!, message: `${arrow}: listed in KNOWN_EXCEPTIONS but no longer wrong or gone: remove it from scripts/layers.ts` });
    }
  }
  return [...out.values()].sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

// Why an arrow from one layer to another is wrong, or null when it may exist.
function layerMessage(from: string, to: string): string | null {
  if (from === to) return null;
  const a = levelOf.get(from);
  const b = levelOf.get(to);
  if (a === undefined) return null; // the importing file is already reported as in no layer
  if (b === undefined) return `${to} is in no layer of scripts/layers.ts`;
  if (b > a) return `${from} may not import ${to}`;
  if (b === a) return `${from} may not import ${to} (peers on one level)`;
  return null;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const rules: RuleName[] = ciRules();
  const repoRoot = resolve(import.meta.dir, "..");
  let root = repoRoot;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--all") rules.push(...(Object.keys(PLACE_RULES) as RuleName[]));
    else if (arg === "--root" && args[i + 1]) root = resolve(args[++i]!);
    else if (arg === "--rule" && args[i + 1] && args[i + 1]! in PLACE_RULES) rules.push(args[++i] as RuleName);
    else {
      console.error(`check-imports: unknown argument ${arg ?? ""}; rules: ${Object.keys(PLACE_RULES).join(", ")}`);
      process.exit(2);
    }
  }
  // The known exceptions name this repository's files; another tree (--root) gets none.
  const violations = checkImports(root, [...new Set(rules)], root === repoRoot ? KNOWN_EXCEPTIONS : []);
  for (const v of violations) console.log(v.message);
  console.error(`check-imports: ${violations.length} violation(s) of ${[...new Set(rules)].join(", ")}; ${KNOWN_EXCEPTIONS.length} known exception(s) in scripts/layers.ts`);
  process.exit(violations.length > 0 ? 1 : 0);
}
