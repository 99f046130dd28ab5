import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, DEFAULTS, loadConfig } from "./index.ts";

test("flags beat the environment, which beats the config file, which beats the defaults", () => {
  const file = join(mkdtempSync(join(tmpdir(), "sigil-config-")), "c.json");
  writeFileSync(file, JSON.stringify({ port: 1111, listen: "127.0.0.2", codeTtl: 30 }));
  const config = loadConfig({ configFile: file, port: "3333" }, { SIGIL_PORT: "2222", SIGIL_LISTEN: "127.0.0.3" });
  expect(config.port).toBe(3333);
  expect(config.listen).toBe("127.0.0.3");
  expect(config.codeTtl).toBe(30);
  expect(config.accessTokenTtl).toBe(DEFAULTS.accessTokenTtl);
  expect(Object.isFrozen(config)).toBe(true);
});

test("refuses unknown settings and out-of-range values with a ConfigError", () => {
  const file = join(mkdtempSync(join(tmpdir(), "sigil-config-")), "c.json");
  writeFileSync(file, JSON.stringify({ prot: 1 }));
  expect(() => loadConfig({ configFile: file }, {})).toThrow(ConfigError);
  expect(() => loadConfig({}, { SIGIL_PORT: "70000" })).toThrow(ConfigError);
  expect(() => loadConfig({}, { SIGIL_TRUST_PROXY: "maybe" })).toThrow(ConfigError);
});
