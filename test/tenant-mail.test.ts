// A tenant may send through its own SMTP server and From address, and may turn the email
// sign-in methods off; changes made with the CLI reach a running server.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";

let smtp: SmtpSink;
let server: SigilServer;
let acme: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil(); // no global SMTP: mail goes to the outbox unless a tenant has its own server
  await provision(server);
  acme = await provision(server, "acme.localhost");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const methodsOf = async (host: string) => ((await (await server.fetch("/oauth2/v1/login-config", { host })).json()) as { methods: string[] }).methods;

test("a tenant's own SMTP server and From address carry its mail and turn its email sign-in on", async () => {
  expect(await methodsOf("acme.localhost")).not.toContain("email-link");
  const out = await server.cliOk(["tenant", "mail", "acme.localhost", "--smtp-url", smtp.url, "--smtp-from", "login@acme.example"]);
  expect(out).toContain("login@acme.example");
  expect(await methodsOf("acme.localhost")).toContain("email-link");
  expect(await methodsOf("localhost")).not.toContain("email-link");

  const { returnTo } = await startAuthorization(server, acme);
  const sent = await server.fetch("/oauth2/v1/email-link-start", {
    host: "acme.localhost", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "alice@example.org", return: returnTo }),
  });
  expect(sent.status).toBe(200);
  const mail = await smtp.next("alice@example.org");
  expect(mail.raw).toMatch(/^From: .*<login@acme\.example>/m);
  expect(mail.text).toContain(`${server.origin("acme.localhost")}/login.html?method=email-link#token=`);
});

test("--email-methods off hides the email methods even with a mail server", async () => {
  await server.cliOk(["tenant", "mail", "acme.localhost", "--email-methods", "off"]);
  expect(await methodsOf("acme.localhost")).not.toContain("email-link");
  const refused = await server.fetch("/oauth2/v1/email-link-start", {
    host: "acme.localhost", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "alice@example.org", return: "/x" }),
  });
  expect(refused.status).toBe(404);
  await server.cliOk(["tenant", "mail", "acme.localhost", "--email-methods", "auto"]);
  expect(await methodsOf("acme.localhost")).toContain("email-link");
});

test("the SMTP URL's password is sealed at rest, and bad settings get one line", async () => {
  await server.cliOk(["tenant", "add", "contoso.localhost"]);
  await server.cliOk(["tenant", "mail", "contoso.localhost", "--smtp-url", "smtps://mailer:Sw0rdf1sh-in-url@mail.contoso.example:465"]);
  const stored = readdirSync(server.dataDir).filter((name) => name.startsWith("sigil.db")).map((name) => readFileSync(join(server.dataDir, name), "latin1")).join("");
  expect(stored).not.toContain("Sw0rdf1sh-in-url");
  for (const args of [["--smtp-url", "http://mail.example"], ["--smtp-url", "smtp://x", "--no-smtp"], ["--email-methods", "sometimes"], ["--smtp-from", "not an address"]]) {
    const result = await server.cli(["tenant", "mail", "contoso.localhost", ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  }
  const missing = await server.cli(["tenant", "mail", "nowhere.localhost", "--email-methods", "off"]);
  expect(missing.code).not.toBe(0);
});
