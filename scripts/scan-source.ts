// Reads the import arrows and global names out of one TypeScript/JavaScript source.
// A small lexer instead of a regex over the text, so that "import" inside a comment,
// a string or a template does not count, and a type-only import does. The project's
// TypeScript 7 has no compiler API for this (no ts.preProcessFile), and
// Bun.Transpiler's scanImports drops `import type`, which must count as an arrow.
// Not handled, on purpose: JSX, HTML comments, `/// <reference>` directives.

export type Token =
  | { kind: "id"; text: string; line: number }
  | { kind: "str"; text: string; line: number }
  | { kind: "tmpl"; text: string | null; line: number } // text is null when the template has ${…}
  | { kind: "punct"; text: string; line: number }
  | { kind: "other"; text: string; line: number };

export type ImportKind = "static" | "type" | "export" | "dynamic" | "require";
export type Import = { specifier: string | null; kind: ImportKind; line: number }; // null: computed, cannot be checked

// After these words a `/` starts a regular expression, not a division.
const beforeRegex = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);
const idStart = /[A-Za-z_$\u0080-\uffff]/;
const idPart = /[A-Za-z0-9_$\u0080-\uffff]/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const braces: ("block" | "template")[] = [];
  let i = 0;
  let line = 1;
  const at = (k: number) => source[k] ?? "";
  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) if (source[k] === "\n") line++;
    i = end;
  };
  // Reads template text from i (just past ` or }) to the closing ` or the next ${.
  const templatePart = (startLine: number, first: boolean) => {
    let text = "";
    while (i < source.length) {
      const c = at(i);
      if (c === "\\") { text += at(i + 1); advanceTo(i + 2); continue; }
      if (c === "`") { advanceTo(i + 1); tokens.push({ kind: "tmpl", text: first ? text : null, line: startLine }); return; }
      if (c === "$" && at(i + 1) === "{") { advanceTo(i + 2); braces.push("template"); if (first) tokens.push({ kind: "tmpl", text: null, line: startLine }); return; }
      text += c;
      advanceTo(i + 1);
    }
  };
  const regexAllowed = () => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.kind === "id") return beforeRegex.has(prev.text);
    if (prev.kind === "punct") return !(prev.text === ")" || prev.text === "]" || prev.text === "}");
    return false; // after a string, template, number or regex: a division
  };
  while (i < source.length) {
    const c = at(i);
    const start = line;
    if (c === "\n" || c === " " || c === "\t" || c === "\r" || c === "\uFEFF") { advanceTo(i + 1); continue; }
    if (c === "/" && at(i + 1) === "/") { const end = source.indexOf("\n", i); advanceTo(end < 0 ? source.length : end); continue; }
    if (c === "/" && at(i + 1) === "*") { const end = source.indexOf("*/", i + 2); advanceTo(end < 0 ? source.length : end + 2); continue; }
    if (c === "'" || c === '"') {
      let k = i + 1;
      let text = "";
      while (k < source.length && at(k) !== c && at(k) !== "\n") { if (at(k) === "\\") { text += at(k + 1); k += 2; } else text += at(k++); }
      advanceTo(k + 1);
      tokens.push({ kind: "str", text, line: start });
      continue;
    }
    if (c === "`") { advanceTo(i + 1); templatePart(start, true); continue; }
    if (c === "}" && braces[braces.length - 1] === "template") { braces.pop(); advanceTo(i + 1); templatePart(start, false); continue; }
    if (c === "{") braces.push("block");
    if (c === "}") braces.pop();
    if (idStart.test(c)) {
      let k = i + 1;
      while (k < source.length && idPart.test(at(k))) k++;
      tokens.push({ kind: "id", text: source.slice(i, k), line: start });
      advanceTo(k);
      continue;
    }
    if (/[0-9]/.test(c)) {
      let k = i + 1;
      while (k < source.length && /[0-9A-Za-z_.]/.test(at(k))) k++;
      tokens.push({ kind: "other", text: source.slice(i, k), line: start });
      advanceTo(k);
      continue;
    }
    if (c === "/" && regexAllowed()) {
      let k = i + 1;
      let inClass = false;
      while (k < source.length && at(k) !== "\n") {
        const r = at(k);
        if (r === "\\") { k += 2; continue; }
        if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        k++;
      }
      k++;
      while (k < source.length && idPart.test(at(k))) k++;
      tokens.push({ kind: "other", text: source.slice(i, k), line: start });
      advanceTo(k);
      continue;
    }
    if (c === "?" && at(i + 1) === ".") { tokens.push({ kind: "punct", text: "?.", line: start }); advanceTo(i + 2); continue; }
    tokens.push({ kind: "punct", text: c, line: start });
    advanceTo(i + 1);
  }
  return tokens;
}

const isPunct = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text;
const isId = (t: Token | undefined, text: string) => t?.kind === "id" && t.text === text;
const isMember = (t: Token | undefined) => isPunct(t, ".") || isPunct(t, "?.");
const literal = (t: Token | undefined): string | null =>
  t?.kind === "str" ? t.text : t?.kind === "tmpl" ? t.text : null;

/** Every module specifier the source refers to: static, type-only, re-export, import(), import type, require(). */
export function findImports(tokens: readonly Token[]): Import[] {
  const found: Import[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "id" || isMember(tokens[i - 1])) continue;
    const next = tokens[i + 1];
    if ((t.text === "import" || t.text === "require") && isPunct(next, "(")) {
      const kind: ImportKind = t.text === "require" ? "require" : isId(tokens[i - 1], "typeof") || isPunct(tokens[i - 1], ":") ? "type" : "dynamic";
      const arg = tokens[i + 2];
      if (isPunct(arg, ")")) continue; // a method named import(), not a module
      const simple = isPunct(tokens[i + 3], ")") || isPunct(tokens[i + 3], ",");
      found.push({ specifier: simple ? literal(arg) : null, kind, line: t.line });
      continue;
    }
    if (t.text === "import" && next && (next.kind === "str" || next.kind === "id" || isPunct(next, "{") || isPunct(next, "*"))) {
      const typeOnly = isId(next, "type") && !isId(tokens[i + 2], "from") && !isPunct(tokens[i + 2], "=");
      const spec = specifierAfter(tokens, i + 1);
      if (spec) found.push({ specifier: spec.text, kind: typeOnly ? "type" : "static", line: t.line });
      continue;
    }
    if (t.text === "export") {
      let j = i + 1;
      if (isId(tokens[j], "type")) j++;
      if (!(isPunct(tokens[j], "{") || isPunct(tokens[j], "*"))) continue;
      const spec = specifierAfter(tokens, j);
      if (spec) found.push({ specifier: spec.text, kind: "export", line: t.line });
    }
  }
  return found;
}

// From an import/export clause, the string after `from` (or the string itself for `import "x"`).
// Stops at `;`, at `=` (import x = require(...), found separately) and at a closing `}` of an
// `export { … }` without `from`, so it never runs into the next statement.
function specifierAfter(tokens: readonly Token[], from: number): Token | null {
  if (tokens[from]?.kind === "str") return tokens[from]!;
  let depth = 0;
  for (let j = from; j < tokens.length && j < from + 500; j++) {
    const t = tokens[j]!;
    if (isPunct(t, "{")) depth++;
    else if (isPunct(t, "}")) { depth--; if (depth === 0 && !isId(tokens[j + 1], "from")) return null; }
    else if (isPunct(t, ";") || isPunct(t, "=")) return null;
    else if (t.kind === "str" || t.kind === "tmpl") return isId(tokens[j - 1], "from") && t.kind === "str" ? t : null;
  }
  return null;
}

/** Each use of a global name (not a property `x.Bun`, not an object key `{ Bun: … }`), with what follows it: "Bun.CryptoHasher". */
export function findGlobalUses(tokens: readonly Token[], names: ReadonlySet<string>): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "id" || !names.has(t.text) || isMember(tokens[i - 1]) || isPunct(tokens[i + 1], ":")) continue;
    const member = isMember(tokens[i + 1]) && tokens[i + 2]?.kind === "id" ? `.${tokens[i + 2]!.text}` : "";
    found.push({ text: t.text + member, line: t.line });
  }
  return found;
}
