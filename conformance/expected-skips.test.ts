// Every entry of expected-skips.json states why the suite skips a module; this checks that the
// reason is still true of Sigil, so an entry cannot outlive the behaviour it explains.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { provision, type Provisioned } from "../test/support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "../test/support/sigil.ts";
import { parseExpectedSkips } from "./expected-skips.ts";

let server: SigilServer;
let p: Provisioned;
let metadata: { scopes_supported: string[]; request_parameter_supported?: boolean };

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  metadata = (await (await server.fetch("/.well-known/openid-configuration")).json()) as typeof metadata;
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const unsupportedScope = (scope: string) => () => expect(metadata.scopes_supported).not.toContain(scope);

/** The fact each listed skip rests on. */
const REASONS: Record<string, () => void | Promise<void>> = {
  "oidcc-scope-address": unsupportedScope("address"),
  "oidcc-scope-phone": unsupportedScope("phone"),
  "oidcc-scope-all": () => expect(["address", "phone"].every((scope) => metadata.scopes_supported.includes(scope))).toBe(false),
  "oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported": async () => {
    expect(metadata.request_parameter_supported ?? false).toBe(false);
    const query = new URLSearchParams({ client_id: p.clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid", state: "s", request: "eyJhbGciOiJub25lIn0.e30." });
    const response = await server.fetch(`/oauth2/v1/authorize?${query}`);
    expect(new URL(response.headers.get("location")!).searchParams.get("error")).toBe("request_not_supported");
  },
};

const entries = parseExpectedSkips(readFileSync(join(import.meta.dir, "expected-skips.json"), "utf8"));

for (const entry of entries) {
  test(`the reason ${entry["test-name"]} is expected to be skipped still holds`, async () => {
    const reason = REASONS[entry["test-name"]];
    expect({ module: entry["test-name"], checked: reason !== undefined }).toEqual({ module: entry["test-name"], checked: true });
    await reason!();
  });
}
