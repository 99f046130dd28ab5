// A data directory provisioned once per test process and served many times: every test file of a
// run shares it (start each server with `startSigil({ template: dir })`), so the CLI set-up and
// the first key generation are paid once. It is removed when the test process ends.
import { removeDataDir, startSigil, type SigilServer } from "./sigil.ts";
import { watchdog } from "./watchdog.ts";

/**
 * Starts Sigil on a fresh directory, runs `setUp` against it, stops it, and returns the directory
 * with what `setUp` returned. Memoised under `name` on globalThis, where Bun's test runner keeps it
 * across the test files of one process.
 */
export function provisionedTemplate<T extends object>(name: string, setUp: (server: SigilServer) => Promise<T>): Promise<T & { dir: string }> {
  const key = Symbol.for(`sigil.test.template.${name}`);
  const holder = globalThis as { [key: symbol]: Promise<T & { dir: string }> | undefined };
  holder[key] ??= (async () => {
    const server = await startSigil();
    try {
      const value = await setUp(server);
      await server.stop();
      watchdog(server.dataDir);
      return { ...value, dir: server.dataDir };
    } catch (error) {
      await server.stop("SIGKILL");
      removeDataDir(server.dataDir);
      throw error;
    }
  })();
  return holder[key];
}
