// One server per test file, as each module of the suite gets its own: started before the file's
// tests, stopped after them, and written in test bodies as if it were the object itself.
import { afterAll, beforeAll } from "bun:test";

/**
 * Registers the file's beforeAll/afterAll and returns a stand-in that forwards every property to
 * what `start` made, so a test file needs no `let` and no set-up lines of its own.
 */
export function perFile<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(() => current?.stop());
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error(`${String(key)} was read before beforeAll started the server`);
      return Reflect.get(current, key);
    },
  });
}
