// A body that never arrives in full (Content-Length promising more than is sent, or a chunked body
// that stalls) must not hold a connection: every body-reading route answers 400 invalid_request
// within --body-timeout seconds, closes the connection, and logs one line without a stack.
// Raw TCP, because fetch cannot send less than it declares.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { expectNoStackTrace } from "../support/negative.ts";
import { selectedRuntime } from "../support/runtime.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
beforeAll(async () => {
  server = await startSigil({ args: ["--body-timeout", "1"] });
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

interface Answer {
  status: number;
  head: string;
  body: string;
  /** Milliseconds from the first byte sent to the whole answer read. */
  elapsed: number;
  /** Whether the server closed the connection within a moment of answering. */
  closed: Promise<boolean>;
}

/**
 * Sends `head` and then `parts` (each after `gapMs`), never more, keeps the socket open, and
 * resolves once a whole answer (head plus Content-Length bytes) has arrived.
 */
function sendAndWait(head: string, parts: string[], gapMs = 0, giveUpMs = 8000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = Buffer.alloc(0);
    let closedResolve: (closed: boolean) => void = () => {};
    const closed = new Promise<boolean>((r) => (closedResolve = r));
    const socket: Socket = connect(server.port, "127.0.0.1", async () => {
      socket.write(head);
      for (const part of parts) {
        if (gapMs) await Bun.sleep(gapMs);
        if (!socket.destroyed) socket.write(part);
      }
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${giveUpMs} ms; got ${JSON.stringify(received.toString("latin1").slice(0, 200))}`));
    }, giveUpMs);
    socket.on("error", () => {});
    socket.on("close", () => closedResolve(true));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) return;
      const answerHead = text.slice(0, split);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(answerHead)?.[1] ?? "NaN");
      if (!(text.length - split - 4 >= length)) return;
      clearTimeout(timer);
      setTimeout(() => {
        closedResolve(socket.destroyed || socket.readyState === "closed");
        socket.destroy();
      }, 500);
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(answerHead)?.[1] ?? 0),
        head: answerHead,
        body: text.slice(split + 4, split + 4 + length),
        elapsed: Date.now() - started,
        closed,
      });
    });
  });
}

const requestHead = (path: string, type: string, framing: string) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost:${server.port}\r\nContent-Type: ${type}\r\nAccept: application/json\r\n${framing}\r\n`;

/** The server's output since `before`, as lines. */
async function linesSince(before: number): Promise<string[]> {
  await Bun.sleep(300);
  return server.output().slice(before).split("\n").filter((line) => line.trim() !== "");
}

async function expectQuiet400(answer: Answer, before: number, description: RegExp): Promise<void> {
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: expect.stringContaining('"invalid_request"') });
  expect(answer.elapsed).toBeLessThan(3000);
  expect(answer.head).toMatch(/\r\ncontent-type: application\/json/i);
  expect((JSON.parse(answer.body) as { error_description: string }).error_description).toMatch(description);
  expectNoStackTrace(answer.body);
  // The connection is not left waiting for the rest of the promised body. Deno.serve gives a handler no
  // way to close it while the request body is unread (a cancelled body and "Connection: close" both leave
  // it open), so on Deno only the answer is checked; README "Runtimes" says so.
  if (!ON_DENO) expect(await answer.closed).toBe(true);
  const lines = await linesSince(before);
  expect(lines.length).toBeLessThanOrEqual(1);
  for (const line of lines) expect(line).not.toMatch(/^\s*at |\bat (async )?[\w.<>]+ \(/);
}

const ON_DENO = selectedRuntime().startsWith("deno");

describe(`with --body-timeout 1, a body that stops short gets 400 within ~1 s and one log line${ON_DENO ? ", the connection left open (Deno.serve cannot close it while the body is unread)" : ", the connection closed"}`, () => {
  const cases: [string, string, string][] = [
    ["token, form", "/oauth2/v1/token", "application/x-www-form-urlencoded"],
    ["login, JSON", "/oauth2/v1/login", "application/json"],
  ];
  for (const [name, path, type] of cases) {
    test(`${name}: Content-Length 100, 10 bytes sent`, async () => {
      const before = server.output().length;
      const answer = await sendAndWait(requestHead(path, type, "Content-Length: 100\r\n"), ["grant_type"]);
      await expectQuiet400(answer, before, /did not arrive in time/);
    });

    test(`${name}: a chunked body that stalls after its first chunk`, async () => {
      const before = server.output().length;
      const answer = await sendAndWait(requestHead(path, type, "Transfer-Encoding: chunked\r\n"), ["a\r\ngrant_type\r\n"]);
      await expectQuiet400(answer, before, /did not arrive in time/);
    });
  }
});

test("a client that hangs up mid-body leaves at most one log line and no stack", async () => {
  const before = server.output().length;
  await new Promise<void>((resolve) => {
    const socket = connect(server.port, "127.0.0.1", () => {
      socket.write(requestHead("/oauth2/v1/token", "application/x-www-form-urlencoded", "Content-Length: 100\r\n") + "grant_type");
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 200);
    });
    socket.on("error", () => {});
  });
  await Bun.sleep(1500);
  const lines = await linesSince(before);
  expect(lines.length).toBeLessThanOrEqual(1);
  for (const line of lines) expect(line).not.toMatch(/^\s*at |\bat (async )?[\w.<>]+ \(/);
  const still = await server.fetch("/.well-known/openid-configuration");
  expect(still.status).toBe(200);
});

test("control: a body sent slowly but whole within the timeout is read and judged on what it says", async () => {
  const body = "grant_type=authorization_code&code=nope";
  const parts = [body.slice(0, 10), body.slice(10, 20), body.slice(20)];
  const answer = await sendAndWait(requestHead("/oauth2/v1/token", "application/x-www-form-urlencoded", `Content-Length: ${body.length}\r\n`), parts, 200);
  // Read whole: refused for the missing client, not for the body.
  expect(answer.status).toBe(401);
  expect(answer.body).toContain('"invalid_client"');
});
