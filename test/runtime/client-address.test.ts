// The client address reaches the per-IP limits and the audit trail on both runtimes: Bun.serve's
// requestIP and Deno.serve's remoteAddr, handed through src/runtime/serve.ts. Were it lost (it read
// "unknown" on Deno before), every client would share one rate-limit bucket and the audit no address.
// A second loopback address (127.0.0.2, Linux routes all of 127/8 to lo) plays a second client.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { AuditReader } from "../support/audit.ts";
import { ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { runtimeCommand, type SigilRuntime } from "../support/runtime.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

/** One raw HTTP/1.1 POST from `localAddress`: the status (RFC 9112 §4 status line). */
function postFrom(localAddress: string, port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress }, () => {
      const head = Object.entries({ ...headers, "content-length": String(Buffer.byteLength(body)), connection: "close" }).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n${body}`);
    });
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
  });
}

describe.each(["bun", "deno"] as const satisfies readonly SigilRuntime[])("on %s", (runtime) => {
  let server: SigilServer;
  let p: Provisioned;
  beforeAll(async () => {
    server = await startSigil({ command: runtimeCommand(runtime), env: { SIGIL_LOGIN_FAILURE_LIMIT: "2" } });
    p = await provision(server);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test("failed sign-ins are limited per real client address, and the audit names that address, not a forged X-Forwarded-For", async () => {
    const { returnTo } = await startAuthorization(server, p);
    const wrong = JSON.stringify({ user: p.username, ha1: ha1(p.username, p.host, "wrong"), return: returnTo });
    const headers = { host: `localhost:${server.port}`, "content-type": "application/json", accept: "application/json", "x-forwarded-for": "203.0.113.9" };
    // 127.0.0.1 spends its two failures and is then limited.
    expect(await postFrom("127.0.0.1", server.port, "/oauth2/v1/login", wrong, headers)).toBe(401);
    expect(await postFrom("127.0.0.1", server.port, "/oauth2/v1/login", wrong, headers)).toBe(401);
    expect(await postFrom("127.0.0.1", server.port, "/oauth2/v1/login", wrong, headers)).toBe(429);
    // Another client has its own count: with one shared bucket it would be limited too.
    expect(await postFrom("127.0.0.2", server.port, "/oauth2/v1/login", wrong, headers)).toBe(401);
    const audit = new AuditReader(server.dataDir);
    const limited = await audit.find((line) => line.event === "signin.rate_limited");
    expect(limited?.ip).toBe("127.0.0.1");
  });

  test("a successful sign-in is audited with the address it came from", async () => {
    const { returnTo } = await startAuthorization(server, p);
    const right = JSON.stringify({ user: p.username, ha1: ha1(p.username, p.host, p.password), return: returnTo });
    expect(await postFrom("127.0.0.2", server.port, "/oauth2/v1/login", right, { host: `localhost:${server.port}`, "content-type": "application/json", accept: "application/json" })).toBe(200);
    const success = await new AuditReader(server.dataDir).find((line) => line.event === "signin.success");
    expect(success?.ip).toBe("127.0.0.2");
  });
});
