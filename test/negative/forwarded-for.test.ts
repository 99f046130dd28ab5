// Behind a proxy, the client is the address the trusted proxies vouch for: X-Forwarded-For is read
// from the right, as nginx's real_ip_recursive and Express's "trust proxy" do, so an attacker who
// writes the left of the header chooses nothing. A proxy appends the address it saw to whatever the
// client sent (nginx $proxy_add_x_forwarded_for): the tests play that proxy over loopback.
// Each server here exhausts the failed sign-in limit (10 per 60 s per client), so each has its own.
import { afterAll, describe, expect, test } from "bun:test";
import { AuditReader } from "../support/audit.ts";
import { ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { discoveredIssuer, expectJsonError } from "../support/negative.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

const servers: SigilServer[] = [];
afterAll(async () => {
  for (const server of servers) {
    await server.stop();
    removeDataDir(server.dataDir);
  }
});

async function start(args: string[]): Promise<{ server: SigilServer; p: Provisioned; returnTo: string; audit: AuditReader }> {
  const server = await startSigil({ args });
  servers.push(server);
  const p = await provision(server);
  const { returnTo } = await startAuthorization(server, p);
  return { server, p, returnTo, audit: new AuditReader(server.dataDir) };
}

/** POST the login endpoint with the given forwarded headers. */
const signIn = (server: SigilServer, returnTo: string, user: string, hash: string, headers: Record<string, string>) =>
  server.fetch("/oauth2/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ user, ha1: hash, return: returnTo }),
  });

/** A different made-up first hop on every request: what an attacker controls. */
const spoofed = (i: number) => `198.18.${i}.${(i * 7) % 250 + 1}`;
/** Unknown names, one per attempt, so that only the per-client limit can be what stops them. */
const ghost = (i: number) => `ghost-${i}-${crypto.randomUUID().slice(0, 8)}`;
const WRONG = (user: string) => ha1(user, "localhost", "not-the-password");

/** Ten failures, each with headers of its own, then the correct password with the eleventh. */
async function tenFailuresThenCorrect(
  s: { server: SigilServer; p: Provisioned; returnTo: string },
  headersFor: (i: number) => Record<string, string>,
): Promise<Response> {
  for (let i = 0; i < 10; i++) {
    const user = ghost(i);
    await expectJsonError(await signIn(s.server, s.returnTo, user, WRONG(user), headersFor(i)), 401, "invalid_credentials");
  }
  return signIn(s.server, s.returnTo, s.p.username, ha1(s.p.username, "localhost", s.p.password), headersFor(10));
}

describe("--trust-proxy (one trusted hop)", () => {
  test("a client rotating a spoofed first X-Forwarded-For hop still reaches the limit: the proxy's right-most entry counts, and the audit log names it", async () => {
    const s = await start(["--trust-proxy"]);
    const limited = await tenFailuresThenCorrect(s, (i) => ({ "x-forwarded-for": `${spoofed(i)}, 203.0.113.7` }));
    await expectJsonError(limited, 429, "too_many_requests");

    const failure = await s.audit.find((line) => line.event === "signin.failure");
    expect(failure?.ip).toBe("203.0.113.7");
    const refused = await s.audit.find((line) => line.event === "signin.rate_limited");
    expect(refused?.ip).toBe("203.0.113.7");
    expect(JSON.stringify(s.audit.lines())).not.toContain("198.18.");

    // Control: another user behind the same proxy has a bucket of their own and signs in.
    const other = await signIn(s.server, s.returnTo, s.p.username, ha1(s.p.username, "localhost", s.p.password), { "x-forwarded-for": "203.0.113.8" });
    expect(other.status).toBe(200);
    expect((await s.audit.find((line) => line.event === "signin.success"))?.ip).toBe("203.0.113.8");
  });

  test("X-Forwarded-Proto from the trusted hop still sets the issuer's scheme", async () => {
    const s = await start(["--trust-proxy", "1"]);
    expect(await discoveredIssuer(s.server)).toBe(`http://localhost:${s.server.port}`);
    const response = await s.server.fetch("/.well-known/openid-configuration", { headers: { "x-forwarded-proto": "https" } });
    expect(((await response.json()) as { issuer: string }).issuer).toBe(`https://localhost:${s.server.port}`);
  });
});

describe("--trust-proxy with a list of proxy addresses", () => {
  test("trusted proxies are skipped from the right; the first address not in the list is the client, whatever the left says", async () => {
    const s = await start(["--trust-proxy", "10.0.0.0/8,127.0.0.1,2001:db8::/32"]);
    const limited = await tenFailuresThenCorrect(s, (i) => ({ "x-forwarded-for": `${spoofed(i)}, 203.0.113.7, 2001:db8::5, 10.1.2.3` }));
    await expectJsonError(limited, 429, "too_many_requests");
    expect((await s.audit.find((line) => line.event === "signin.failure"))?.ip).toBe("203.0.113.7");
    expect((await s.audit.find((line) => line.event === "signin.rate_limited"))?.ip).toBe("203.0.113.7");
  });

  test("when the socket peer is not in the list, X-Forwarded-For, -Host and -Proto are ignored: spoofed hops share the peer's bucket", async () => {
    const s = await start(["--trust-proxy", "10.0.0.0/8,192.168.1.5"]);
    const issuer = `http://localhost:${s.server.port}`;
    const forged = await s.server.fetch("/.well-known/openid-configuration", {
      host: "unknown-tenant.example",
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": `localhost:${s.server.port}` },
    });
    // The forged X-Forwarded-Host would have picked the served tenant: ignored, the real Host is unknown.
    await expectJsonError(forged, 421, "unknown_host");
    const proto = await s.server.fetch("/.well-known/openid-configuration", { headers: { "x-forwarded-proto": "https" } });
    expect(((await proto.json()) as { issuer: string }).issuer).toBe(issuer);

    const limited = await tenFailuresThenCorrect(s, (i) => ({ "x-forwarded-for": `${spoofed(i)}, 10.0.0.${i + 1}` }));
    await expectJsonError(limited, 429, "too_many_requests");
    expect((await s.audit.find((line) => line.event === "signin.failure"))?.ip).toBe("127.0.0.1");
  });
});
