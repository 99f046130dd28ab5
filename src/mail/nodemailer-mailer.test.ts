import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { createMailer } from "./index.ts";

const received: { from: string; to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let port = 0;
const dataDir = mkdtempSync(join(tmpdir(), "sigil-mail-"));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const message = { tenant: "acme.localhost", tenantName: "Acme", to: "alice@example.org", subject: "Your sign-in link", text: "Open http://acme.localhost:8080/x", html: "<p>Open <a href=\"http://acme.localhost:8080/x\">the link</a></p>" };

test("sends plain text and HTML over a real SMTP conversation, from the tenant's name", async () => {
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "noreply@acme.example", dataDir });
  await mailer.send(message);
  const mail = received.at(-1)!;
  expect(mail.from).toBe("noreply@acme.example");
  expect(mail.to).toEqual(["alice@example.org"]);
  expect(mail.raw).toContain("Subject: Your sign-in link");
  expect(mail.raw).toMatch(/From: Acme <noreply@acme\.example>/);
  expect(mail.raw).toContain("Content-Type: text/plain");
  expect(mail.raw).toContain("Content-Type: text/html");
});

test("a delivery failure becomes a MailError naming the server, not a crash", async () => {
  const mailer = createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "noreply@acme.example", dataDir });
  await expect(mailer.send(message)).rejects.toThrow(/SMTP delivery to 127\.0\.0\.1:1 failed/);
});

test("without SMTP, messages are filed as .eml files in the tenant's outbox", async () => {
  const mailer = createMailer({ smtpUrl: null, from: "noreply@acme.example", dataDir });
  expect(mailer.describe()).toContain(join(dataDir, "outbox"));
  await mailer.send(message);
  const files = readdirSync(join(dataDir, "outbox", "acme.localhost"));
  expect(files.length).toBe(1);
  const eml = readFileSync(join(dataDir, "outbox", "acme.localhost", files[0]!), "utf8");
  expect(eml).toContain("To: alice@example.org");
  expect(eml).toContain("Subject: Your sign-in link");
});
