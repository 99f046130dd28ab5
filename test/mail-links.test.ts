// Mailed links (password recovery, sign-in links): where they point and what their timing tells.
// Attacks: a Host or X-Forwarded-Proto of the attacker's choosing put into the victim's link; and a
// look-up that ran before the answer, so that a known address answered measurably slower.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({
    args: ["--smtp-url", smtp.url, "--trust-proxy"],
    // The timing test sends hundreds of requests for one address.
    env: { SIGIL_MAIL_LIMIT_PER_IP: "100000", SIGIL_MAIL_LIMIT_PER_ADDRESS: "100000" },
  });
  p = await provision(server, "acme.localhost");
  await server.cliOk(["tenant", "add", "login.contoso.example", "--origin", "https://login.contoso.example"]);
  await server.cliOk(["user", "add", "login.contoso.example", "carol", "--password-stdin", "--email", "carol@example.org"], "carol-password\n");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const post = (name: string, body: Record<string, string>, headers: Record<string, string> = {}, host = "acme.localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...headers }, body: JSON.stringify(body) });

/** A POST whose Host header is exactly `host` (the harness's fetch would put the real port in). */
const withHost = (host: string, name: string, body: Record<string, string>) =>
  fetch(`http://127.0.0.1:${server.port}/oauth2/v1/${name}`, { method: "POST", headers: { host, "content-type": "application/json" }, body: JSON.stringify(body) });

const linkIn = (text: string) => /(https?:\/\/[^\s/]+)\/(recover|login)\.html/.exec(text)?.[1];

describe("mailed links point at the tenant's own origin", () => {
  test("not at a port the request's Host header named", async () => {
    // Host acme.localhost:1 still reaches the tenant; the link must not send the victim to port 1.
    const response = await withHost("acme.localhost:1", "recover-start", { email: "alice@example.org" });
    expect(response.status).toBe(200);
    expect(linkIn((await smtp.next("alice@example.org")).text)).toBe(server.origin("acme.localhost"));
  });

  test("not at the scheme a forwarded header named: a configured origin wins", async () => {
    const headers = { "x-forwarded-host": "login.contoso.example", "x-forwarded-proto": "http" };
    expect((await post("recover-start", { email: "carol@example.org" }, headers, "login.contoso.example")).status).toBe(200);
    expect(linkIn((await smtp.next("carol@example.org")).text)).toBe("https://login.contoso.example");
  });

  test("sign-in links too", async () => {
    const { returnTo } = await startAuthorization(server, p);
    expect((await withHost("acme.localhost:1", "email-link-start", { email: "alice@example.org", return: returnTo })).status).toBe(200);
    expect(linkIn((await smtp.next("alice@example.org")).text)).toBe(server.origin("acme.localhost"));
  });

  test("a configured origin must be the tenant's own host over https", async () => {
    for (const origin of ["http://login.contoso.example", "https://evil.example", "https://login.contoso.example/path"]) {
      const result = await server.cli(["tenant", "origin", "login.contoso.example", origin]);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("timing", () => {
  /** Medians of interleaved request times, known address first then unknown, alternating order each round. */
  async function medians(path: string, body: (email: string) => Record<string, string>) {
    const times = { known: [] as number[], unknown: [] as number[] };
    const once = async (kind: "known" | "unknown", round: number) => {
      const email = kind === "known" ? "alice@example.org" : `nobody-${round}@example.org`;
      const started = performance.now();
      const response = await post(path, body(email), { "x-forwarded-for": `198.18.${round % 250}.${kind === "known" ? 1 : 2}` });
      await response.arrayBuffer();
      times[kind].push(performance.now() - started);
      // The mail goes out after the answer: leave it the time a real client's next request would.
      await Bun.sleep(15);
    };
    for (let round = 0; round < 200; round++) {
      if (round % 2 === 0) {
        await once("known", round);
        await once("unknown", round);
      } else {
        await once("unknown", round);
        await once("known", round);
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return { known: median(times.known), unknown: median(times.unknown) };
  }

  for (const [name, body] of [
    ["recover-start", (email: string) => ({ email })],
    ["email-link-start", (email: string) => ({ email, return: "" })],
  ] as const) {
    test(`${name} answers a known and an unknown address in the same time`, async () => {
      const returnTo = (await startAuthorization(server, p)).returnTo;
      // Measured here before the fix: known/unknown 1.15 to 1.24 (the issue saw 2.2 ms against 1.1 ms); after it 0.95 to 1.07.
      // A leak shows in every measurement; a machine busy with other work can spoil one, so up to three are taken.
      const ratios: number[] = [];
      for (let attempt = 0; attempt < 3 && !(ratios.at(-1)! < 1.12); attempt++) {
        const m = await medians(name, (email) => ({ ...body(email), ...(name === "email-link-start" ? { return: returnTo } : {}) }));
        ratios.push(m.known / m.unknown);
      }
      expect(Math.min(...ratios)).toBeLessThan(1.12);
    });
  }
});
