/**
 * Loads the engine on first use. The Reflect metadata polyfill must be evaluated before
 * @peculiar/x509; a compiled bundle does not keep the order of side-effect imports inside a
 * lazily loaded chunk, so it is loaded first, on its own.
 */
let loading: Promise<typeof import("./index.ts")> | null = null;

export function loadEngine(): Promise<typeof import("./index.ts")> {
  loading ??= import("reflect-metadata").then(() => import("./index.ts"));
  return loading;
}
