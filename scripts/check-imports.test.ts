import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkImports, ciRules } from "./check-imports.ts";
import { KNOWN_EXCEPTIONS } from "./layers.ts";

const repoRoot = join(import.meta.dir, "..");
const made: string[] = [];
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "sigil-imports-"));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

// One right and one wrong arrow of each form; the comment and the string must not count.
const fixture = {
  "src/lib/ok.ts": `export const ok = 1;\n`,
  "src/lib/x.ts": `import { y } from "../oidc/y.ts";\nexport const x = y;\n`,
  "src/oidc/y.ts": `import { ok } from "../lib/ok.ts";\nimport type { Z } from "./z.ts";\nexport const y: Z = ok;\n`,
  "src/oidc/z.ts": `export type Z = number;\n`,
  "src/tenant/a.ts": `import { k } from "../keys/k.ts";\nexport const a = k;\n`,
  "src/keys/k.ts": `import type { Z } from "../oidc/z.ts";\nimport { ok } from "../lib/ok.ts";\nexport const k = ok as Z;\n`,
  "src/store/s.ts": `// import { h } from "../http/h.ts";\nconst p = "../http/h.ts";\nexport const s = async () => (await import("../login/m.ts")).m + p;\n`,
  "src/login/m.ts": `export { y } from "../oidc/y.ts";\nexport type { Z } from "../oidc/z.ts";\nexport { s } from "../store/s.ts";\nexport const m = 1;\n`,
  "src/http/h.ts": `import { y } from "../oidc/y.ts";\nexport let app: typeof import("../app.ts") | undefined;\nexport const h = y;\n`,
  "src/app.ts": `import { h } from "./http/h.ts";\nimport { m } from "./login/m.ts";\nexport const app = [h, m];\n`,
  "src/cli/c.ts": `import { app } from "../app.ts";\nimport { main } from "../main.ts";\nexport const c = [app, main];\n`,
  "src/main.ts": `import { c } from "./cli/c.ts";\nexport const main = c;\n`,
  "src/signin/p.ts": `import { q } from "../account/q.ts";\nexport const p = q;\n`,
  "src/account/q.ts": `import { y } from "../oidc/y.ts";\nexport const q = y;\n`,
};

test("reports exactly the arrows that point up or across: static, peer, type-only, dynamic, re-export, typeof import()", () => {
  const messages = checkImports(tree(fixture), ["layers"], []).map((v) => v.message);
  expect(messages).toEqual([
    "src/cli/c.ts → src/main.ts: cli may not import main",
    "src/http/h.ts → src/app.ts: http may not import app",
    "src/keys/k.ts → src/oidc/z.ts: keys may not import oidc",
    "src/lib/x.ts → src/oidc/y.ts: lib may not import oidc",
    "src/login/m.ts → src/oidc/y.ts: login may not import oidc",
    "src/login/m.ts → src/oidc/z.ts: login may not import oidc",
    "src/signin/p.ts → src/account/q.ts: signin may not import account (peers on one level)",
    "src/store/s.ts → src/login/m.ts: store may not import login",
    "src/tenant/a.ts → src/keys/k.ts: tenant may not import keys (peers on one level)",
  ]);
});

test("a folder that is in no layer is reported, and so is every arrow into it", () => {
  const root = tree({ "src/lib/ok.ts": "export const ok = 1;\n", "src/gadgets/g.ts": `import { ok } from "../lib/ok.ts";\nexport const g = ok;\n`, "src/oidc/o.ts": `import { g } from "../gadgets/g.ts";\nexport const o = g;\n` });
  expect(checkImports(root, ["layers"], []).map((v) => v.message)).toEqual([
    "src/gadgets/g.ts: gadgets is in no layer of scripts/layers.ts",
    "src/oidc/o.ts → src/gadgets/g.ts: gadgets is in no layer of scripts/layers.ts",
  ]);
});

test("an import() whose name is computed fails the check, since no one can say where it points", () => {
  const root = tree({ "src/lib/l.ts": "export const load = (name: string) => import(`../${name}/index.ts`);\n" });
  expect(checkImports(root, ["layers"], []).map((v) => v.message)).toEqual(["src/lib/l.ts: import() of a computed name cannot be checked"]);
});

test("a known exception lets its arrow pass; one that no longer occurs is itself reported", () => {
  const root = tree({ "src/lib/x.ts": `import { y } from "../oidc/y.ts";\nexport const x = y;\n`, "src/oidc/y.ts": "export const y = 1;\n" });
  const messages = checkImports(root, ["layers"], [{ arrow: "src/lib/x.ts → src/oidc/y.ts" }, { arrow: "src/lib/gone.ts → src/oidc/y.ts" }]).map((v) => v.message);
  expect(messages).toEqual(["src/lib/gone.ts → src/oidc/y.ts: listed in KNOWN_EXCEPTIONS but no longer wrong or gone: remove it from scripts/layers.ts"]);
});

test("the place rules report SQL drivers, the environment, Bun/Deno and Elysia outside their places; CI runs them all", () => {
  const root = tree({
    "src/store/db.ts": `import { Database } from "bun:sqlite";\nexport const db = Database;\n`,
    "src/oidc/db.ts": `import { Database } from "bun:sqlite";\nexport const db = Database;\n`,
    "src/config/env.ts": "export const port = process.env.PORT;\n",
    "src/login/env.ts": "export const a = process.env.A, b = Bun.env.B, c = Deno.env.get('C'), d = import.meta.env.D;\n",
    "src/runtime/file.ts": "export const read = (p: string) => Bun.file(p);\n",
    "src/keys/hash.ts": "export const h = new Bun.CryptoHasher('sha256'); export const other = { Bun: 1 };\n",
    "src/oidc/routes.ts": `import { Elysia } from "elysia";\nexport const r = new Elysia();\n`,
    "src/oidc/logic.ts": `import type { Context } from "elysia";\nexport type C = Context;\n`,
  });
  const messages = checkImports(root, ["sqlite-in-store", "env-in-config", "bun-deno-in-runtime", "elysia-in-routes"], []).map((v) => v.message);
  expect(messages).toEqual([
    "src/keys/hash.ts: Bun.CryptoHasher: only runtime names Bun or Deno",
    "src/login/env.ts: Bun.env: only config reads the environment",
    "src/login/env.ts: Bun.env: only runtime names Bun or Deno",
    "src/login/env.ts: Deno.env: only config reads the environment",
    "src/login/env.ts: Deno.env: only runtime names Bun or Deno",
    "src/login/env.ts: import.meta.env: only config reads the environment",
    "src/login/env.ts: process.env: only config reads the environment",
    "src/oidc/db.ts → bun:sqlite: only runtime names Bun or Deno",
    "src/oidc/db.ts → bun:sqlite: only store speaks SQL",
    "src/oidc/logic.ts → elysia: only route files, http and app import Elysia",
    "src/store/db.ts → bun:sqlite: only runtime names Bun or Deno",
  ]);
  expect(ciRules()).toEqual(["layers", "sqlite-in-store", "env-in-config", "bun-deno-in-runtime", "elysia-in-routes"]);
  expect(checkImports(root, ciRules(), []).map((v) => v.message)).toEqual(messages);
});

test("npm run check:imports prints one line per violation and exits non-zero; exits 0 on a clean tree", () => {
  const run = (root: string) => Bun.spawnSync([process.execPath, join(repoRoot, "scripts/check-imports.ts"), "--root", root], { stdout: "pipe", stderr: "pipe" });
  const bad = run(tree({ "src/lib/x.ts": `import type { Y } from "../oidc/y.ts";\nexport type X = Y;\n`, "src/oidc/y.ts": "export type Y = 1;\n" }));
  expect(bad.exitCode).toBe(1);
  expect(bad.stdout.toString()).toBe("src/lib/x.ts → src/oidc/y.ts: lib may not import oidc\n");
  const good = run(tree({ "src/oidc/y.ts": `import type { X } from "../lib/x.ts";\nexport type Y = X;\n`, "src/lib/x.ts": "export type X = 1;\n" }));
  expect(good.exitCode).toBe(0);
  expect(good.stdout.toString()).toBe("");
});

test("the real src/ keeps its layers (only the listed known exceptions pass)", () => {
  expect(KNOWN_EXCEPTIONS.length).toBeLessThanOrEqual(2); // the list may only shrink
  expect(checkImports(repoRoot).map((v) => v.message)).toEqual([]);
});
