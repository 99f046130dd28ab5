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

test("trustProxy: true or 1 is one trusted hop, a number is that many, 0/false/unset is off, as before", () => {
  expect(loadConfig({}, {}).trustProxy).toBe(false);
  expect(loadConfig({}, { SIGIL_TRUST_PROXY: "true" }).trustProxy).toEqual({ hops: 1 });
  expect(loadConfig({}, { SIGIL_TRUST_PROXY: "1" }).trustProxy).toEqual({ hops: 1 });
  expect(loadConfig({}, { SIGIL_TRUST_PROXY: "false" }).trustProxy).toBe(false);
  expect(loadConfig({}, { SIGIL_TRUST_PROXY: "0" }).trustProxy).toBe(false);
  expect(loadConfig({ trustProxy: true }, {}).trustProxy).toEqual({ hops: 1 });
  expect(loadConfig({ trustProxy: "2" }, { SIGIL_TRUST_PROXY: "true" }).trustProxy).toEqual({ hops: 2 });
  const file = join(mkdtempSync(join(tmpdir(), "sigil-config-")), "c.json");
  writeFileSync(file, JSON.stringify({ trustProxy: 3 }));
  expect(loadConfig({ configFile: file }, {}).trustProxy).toEqual({ hops: 3 });
});

test("trustProxy: a list of IPv4 and IPv6 addresses and CIDR ranges, from a flag or an array in the file", () => {
  const config = loadConfig({ trustProxy: " 10.0.0.0/8, 192.168.1.5,2001:db8::/32 , ::1" }, {});
  expect(config.trustProxy).toEqual({ proxies: ["10.0.0.0/8", "192.168.1.5", "2001:db8::/32", "::1"] });
  expect(Object.isFrozen(config.trustProxy)).toBe(true);
  const file = join(mkdtempSync(join(tmpdir(), "sigil-config-")), "c.json");
  writeFileSync(file, JSON.stringify({ trustProxy: ["172.16.0.0/12", "fd00::/8"] }));
  expect(loadConfig({ configFile: file }, {}).trustProxy).toEqual({ proxies: ["172.16.0.0/12", "fd00::/8"] });
});

test.each([
  ["a word", "maybe"],
  ["a host name", "proxy.example"],
  ["an IPv4 prefix over 32", "10.0.0.0/33"],
  ["an IPv6 prefix over 128", "2001:db8::/129"],
  ["a prefix that is not a number", "10.0.0.0/x"],
  ["two prefixes", "10.0.0.0/8/8"],
  ["an address with a port", "10.0.0.1:8080"],
  ["an empty entry", "10.0.0.1,,10.0.0.2"],
  ["too many hops", "33"],
  ["a zone id", "fe80::1%eth0"],
])("trustProxy refuses %s with a ConfigError", (_name, value) => {
  expect(() => loadConfig({}, { SIGIL_TRUST_PROXY: value })).toThrow(ConfigError);
});

test("bodyTimeout defaults to 10 s and takes 1 to 300 from the environment or a flag", () => {
  expect(loadConfig({}, {}).bodyTimeout).toBe(10);
  expect(loadConfig({}, { SIGIL_BODY_TIMEOUT: "300" }).bodyTimeout).toBe(300);
  expect(loadConfig({ bodyTimeout: "1" }, { SIGIL_BODY_TIMEOUT: "30" }).bodyTimeout).toBe(1);
  for (const bad of ["0", "301", "1.5", "soon"]) expect(() => loadConfig({}, { SIGIL_BODY_TIMEOUT: bad })).toThrow(ConfigError);
});
