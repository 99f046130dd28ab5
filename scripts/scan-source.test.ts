import { expect, test } from "bun:test";
import { findGlobalUses, findImports, tokenize } from "./scan-source.ts";

const imports = (source: string) => findImports(tokenize(source)).map(({ specifier, kind }) => [specifier, kind]);

test("finds every form of arrow: static, type-only, re-export, import(), typeof import(), require()", () => {
  const source = `
    import a from "./a.ts";
    import { type B, c } from './b.ts';
    import type { D } from "./d.ts";
    import "./side-effect.ts";
    import * as e from "./e.ts";
    export * from "./f.ts";
    export * as g from "./g.ts";
    export { h } from "./h.ts";
    export type { I } from "./i.ts";
    const j = await import("./j.ts");
    let k: Promise<typeof import("./k.ts")>;
    let l: import("./l.ts").L;
    const m = require("./m.cjs");
    const n = import(\`./n.ts\`);
  `;
  expect(imports(source)).toEqual([
    ["./a.ts", "static"], ["./b.ts", "static"], ["./d.ts", "type"], ["./side-effect.ts", "static"], ["./e.ts", "static"],
    ["./f.ts", "export"], ["./g.ts", "export"], ["./h.ts", "export"], ["./i.ts", "export"],
    ["./j.ts", "dynamic"], ["./k.ts", "type"], ["./l.ts", "type"], ["./m.cjs", "require"], ["./n.ts", "dynamic"],
  ]);
});

test("does not count import-like text in comments, strings, templates or regular expressions", () => {
  const source = `
    // import x from "./comment.ts";
    /* export * from "./block.ts"; import("./block2.ts") */
    const s = 'import y from "./single.ts"';
    const d = "export { z } from './double.ts'";
    const t = \`import w from "./template.ts" \${"nested"} import("./after.ts")\`;
    const r = /import v from "\\.\\/regex.ts"/;
    const q = a / b; const from = 1; export { from };
    const u = "./after-export.ts";
  `;
  expect(imports(source)).toEqual([]);
});

test("finds an import inside a template's expression and keeps line numbers past templates", () => {
  const tokens = tokenize("const t = `a${ { x: 1 }.x }b ${ await import(\"./inner.ts\") }`;\n\nimport \"./later.ts\";");
  expect(findImports(tokens)).toEqual([
    { specifier: "./inner.ts", kind: "dynamic", line: 1 },
    { specifier: "./later.ts", kind: "static", line: 3 },
  ]);
});

test("reports import() of a computed name as unresolvable (null), not as nothing", () => {
  expect(imports("const m = await import(name); const n = await import(`./${name}.ts`); const o = import('./a' + x);")).toEqual([
    [null, "dynamic"], [null, "dynamic"], [null, "dynamic"],
  ]);
});

test("ignores a property, a method or an object key called import", () => {
  expect(imports("x.import('./a.ts'); const o = { import: 1 }; class C { import() { return 1; } } import.meta.url;")).toEqual([]);
});

test("a global name counts when used as a global, not as a property or object key", () => {
  const uses = findGlobalUses(tokenize("Bun.file(p); const h = new Bun.CryptoHasher('sha256'); x.Bun.y; const o = { Bun: 1 }; let s: Bun.Server; // Bun.env"), new Set(["Bun"]));
  expect(uses.map((u) => u.text)).toEqual(["Bun.file", "Bun.CryptoHasher", "Bun.Server"]);
});
