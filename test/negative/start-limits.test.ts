// Starts that make the store hold a row for a caller nobody has authenticated (passkey prompts,
// wallet sign-ins). The attack: about 240 rows a second, 5.4 KB each, kept an hour. Now so many
// per client IP and per tenant a minute, never more than the cap live per tenant.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "bun:test";
import { expectJsonError } from "../support/negative.ts";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
afterEach(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

async function start(env: Record<string, string>): Promise<Provisioned> {
  server = await startSigil({ args: ["--trust-proxy"], env });
  return provision(server);
}

const begin = (kind: "passkey-signin-start" | "wallet-start", returnTo: string, ip: string) =>
  server.fetch(`/oauth2/v1/${kind}`, {
    method: "POST", headers: { "content-type": "application/json", accept: "application/json", "x-forwarded-for": ip }, body: JSON.stringify({ return: returnTo }),
  });

const rows = (table: string) => {
  const db = new Database(join(server.dataDir, "sigil.db"), { readonly: true });
  try {
    return (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

for (const [kind, table] of [["passkey-signin-start", "webauthn_challenges"], ["wallet-start", "wallet_transactions"]] as const) {
  describe(kind, () => {
    test("one address gets so many a minute, then 429 with Retry-After; another address is not affected", async () => {
      const p = await start({ SIGIL_START_LIMIT_PER_IP: "5" });
      const { returnTo } = await startAuthorization(server, p);
      for (let i = 0; i < 5; i++) expect((await begin(kind, returnTo, "198.51.100.9")).status).toBeLessThan(300);
      const refused = await expectJsonError(await begin(kind, returnTo, "198.51.100.9"), 429, "too_many_requests");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await begin(kind, returnTo, "198.51.100.10")).status).toBeLessThan(300);
      expect(rows(table)).toBe(6);
    });

    test("a tenant takes so many a minute from all addresses together", async () => {
      const p = await start({ SIGIL_START_LIMIT_PER_TENANT: "8" });
      const { returnTo } = await startAuthorization(server, p);
      for (let i = 0; i < 8; i++) expect((await begin(kind, returnTo, `203.0.113.${i + 1}`)).status).toBeLessThan(300);
      await expectJsonError(await begin(kind, returnTo, "203.0.113.200"), 429, "too_many_requests");
      expect(rows(table)).toBe(8);
    });

    test("never more live rows per tenant than the cap: 503, and nothing stored", async () => {
      const p = await start({ SIGIL_LIVE_TRANSACTION_CAP: "4" });
      const { returnTo } = await startAuthorization(server, p);
      for (let i = 0; i < 4; i++) expect((await begin(kind, returnTo, `192.0.2.${i + 1}`)).status).toBeLessThan(300);
      const capped = await expectJsonError(await begin(kind, returnTo, "192.0.2.100"), 503, "temporarily_unavailable");
      expect(capped.headers.get("retry-after")).toBe("60");
      expect(rows(table)).toBe(4);
    });
  });
}
