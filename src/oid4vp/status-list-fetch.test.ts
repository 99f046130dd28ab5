// The status-list fetcher against real local HTTP servers: the byte cap holds while streaming,
// and internal destinations are refused unless allowed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { createStatusListFetcher } from "./status-list.ts";

const MB = 1024 * 1024;
const CAP = 1_000_000;
const CHUNK = new Uint8Array(64 * 1024).fill(0x41);
const now = () => Math.floor(Date.now() / 1000);

// node:http and node:net, not Bun.serve/Bun.listen: only src/runtime/ names the runtime (scripts/layers.ts).
let server: Server;
/** Bytes the /huge handler handed to the socket before the client went away. */
let hugeSent = 0;
/** A bare HTTP/1.1 peer (RFC 9112 §6.3): declares Content-Length 2000000, sends 3 bytes, then stalls. */
let declaring: ReturnType<typeof createTcpServer>;
const drainedOrClosed = (response: NodeJS.WritableStream) => new Promise<void>((resolve) => {
  const done = () => {
    response.off("drain", done);
    response.off("close", done);
    resolve();
  };
  response.once("drain", done);
  response.once("close", done);
});
const portOf = (listening: { address(): AddressInfo | string | null }) => (listening.address() as AddressInfo).port;

beforeAll(async () => {
  server = createHttpServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/huge") {
      hugeSent = 0;
      // 64 MB written chunk by chunk, each after the socket drained: a client that stops reading stops the server too.
      response.writeHead(200);
      while (hugeSent < 64 * MB && !response.destroyed) {
        hugeSent += CHUNK.byteLength;
        if (!response.write(CHUNK.slice())) await drainedOrClosed(response);
      }
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "application/statuslist+jwt" }).end("token.at.root");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});
beforeAll(async () => {
  declaring = createTcpServer((socket) => {
    socket.once("data", () => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/statuslist+jwt\r\nContent-Length: ${2 * CAP}\r\n\r\nabc`));
    socket.on("error", () => {});
  });
  declaring.listen(0, "127.0.0.1");
  await once(declaring, "listening");
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  declaring.close();
});

async function checkOf(work: Promise<unknown>): Promise<string> {
  try {
    return `accepted ${String(await work)}`;
  } catch (error) {
    return (error as { internal?: string }).internal ?? String(error);
  }
}

describe("the byte cap", () => {
  test("a streamed body far over the cap is refused once the cap is passed, without reading the rest", async () => {
    const fetcher = createStatusListFetcher({ allowHttp: true, allowPrivateAddresses: true, timeoutMs: 30_000 });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const outcome = await checkOf(fetcher.fetchToken(`http://127.0.0.1:${portOf(server)}/huge`, now()));
    clearInterval(sampler);
    expect(outcome).toMatch(/^status_fetch: .*passed the 1000000-byte cap/);
    // The cap plus what sits in socket buffers, not 64 MB.
    expect(hugeSent).toBeLessThan(16 * MB);
    expect(peak - before).toBeLessThan(32 * MB);
  });

  test("a Content-Length over the cap is refused before the body is read", async () => {
    // Reading the body would wait for bytes that never come, until the 10 s timeout.
    const fetcher = createStatusListFetcher({ allowHttp: true, allowPrivateAddresses: true, timeoutMs: 10_000 });
    const started = performance.now();
    expect(await checkOf(fetcher.fetchToken(`http://127.0.0.1:${portOf(declaring)}/declared`, now()))).toMatch(/^status_fetch: Content-Length 2000000 is over the 1000000-byte cap/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("internal destinations", () => {
  const internalUris = ["http://127.0.0.1/s", "http://10.20.30.40/s", "http://169.254.169.254/latest/meta-data", "http://[::1]/s", "http://[::ffff:127.0.0.1]/s", "http://localhost/s"];

  test("are refused before any connection when not allowed, names resolved with the system resolver", async () => {
    let connections = 0;
    const fetcher = createStatusListFetcher({ allowHttp: true, fetch: async () => (connections++, new Response("t")) });
    for (const uri of internalUris) expect(await checkOf(fetcher.fetchToken(uri, now()))).toMatch(/^status_fetch: .*(loopback|private|link-local)/);
    expect(connections).toBe(0);
  });

  test("a name with one internal address among public ones is refused", async () => {
    const fetcher = createStatusListFetcher({ resolveHost: async () => ["203.0.113.7", "192.168.0.9"], fetch: async () => new Response("t") });
    expect(await checkOf(fetcher.fetchToken("https://issuer.test/s", now()))).toMatch(/^status_fetch: issuer\.test resolves to 192\.168\.0\.9, a private address/);
  });

  test("are fetched when allowed", async () => {
    const fetched: string[] = [];
    const fetcher = createStatusListFetcher({ allowHttp: true, allowPrivateAddresses: true, fetch: async (url) => (fetched.push(url), new Response("t")) });
    for (const uri of internalUris) expect(await checkOf(fetcher.fetchToken(uri, now()))).toBe("accepted t");
    expect(fetched).toEqual(internalUris);
  });

  test("a real local server is unreachable by default and reachable when allowed, by IP and by localhost", async () => {
    for (const host of ["127.0.0.1", "localhost"]) {
      const uri = `http://${host}:${portOf(server)}/`;
      expect(await checkOf(createStatusListFetcher({ allowHttp: true }).fetchToken(uri, now()))).toMatch(/^status_fetch: .*loopback/);
      expect(await checkOf(createStatusListFetcher({ allowHttp: true, allowPrivateAddresses: true }).fetchToken(uri, now()))).toBe("accepted token.at.root");
    }
  });
});
