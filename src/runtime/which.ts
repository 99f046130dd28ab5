// Which runtime this is. The only place that looks: everything else asks here.

interface RuntimeGlobals {
  Bun?: { version: string };
  Deno?: { version: { deno: string } };
}
const globals = globalThis as RuntimeGlobals;

export const IS_BUN = globals.Bun !== undefined;
export const IS_DENO = globals.Deno !== undefined;

/** "bun 1.4.5" or "deno 2.9.6": for start-up lines and the benchmark's table. */
export const RUNTIME_NAME = IS_BUN ? `bun ${globals.Bun!.version}` : IS_DENO ? `deno ${globals.Deno!.version.deno}` : `node ${process.versions.node}`;
