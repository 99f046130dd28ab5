import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Transporter } from "nodemailer";
import { randomId } from "../lib/ids.ts";
import { MailError, type Mailer, type MailMessage } from "./mail-message.ts";

const SEND_TIMEOUT_MS = 15_000;

/**
 * Mail through nodemailer. With an SMTP URL, messages go over a real SMTP connection
 * (STARTTLS when the server offers it, implicit TLS for smtps://). Without one, a first
 * run still works: nodemailer composes the message and it is filed as an .eml under
 * DATA/outbox/<tenant>/, which the start-up log names.
 */
export function createMailer(options: { smtpUrl: string | null; from: string; dataDir: string }): Mailer {
  const from = options.from;
  if (options.smtpUrl) {
    const smtpUrl = options.smtpUrl;
    let transport: Promise<Transporter> | null = null;
    const target = new URL(smtpUrl);
    return {
      async send(message) {
        try {
          transport ??= loadNodemailer().then((nodemailer) => nodemailer.createTransport(smtpUrl, {
            connectionTimeout: SEND_TIMEOUT_MS, greetingTimeout: SEND_TIMEOUT_MS, socketTimeout: SEND_TIMEOUT_MS,
          } as Record<string, unknown>));
          await (await transport).sendMail(compose(from, message));
        } catch (error) {
          throw new MailError(`SMTP delivery to ${target.host} failed: ${(error as Error).message}`);
        }
      },
      describe: () => `SMTP ${target.protocol}//${target.host}`,
    };
  }
  const outbox = join(options.dataDir, "outbox");
  let composer: Promise<Transporter> | null = null;
  return {
    async send(message) {
      try {
        composer ??= loadNodemailer().then((nodemailer) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }));
        const info = await (await composer).sendMail(compose(from, message));
        const dir = join(outbox, message.tenant);
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomId(6)}.eml`), info.message as Buffer, { mode: 0o600 });
      } catch (error) {
        throw new MailError(`filing the message in ${outbox} failed: ${(error as Error).message}`);
      }
    },
    describe: () => `no SMTP server configured (--smtp-url); messages are filed in ${outbox}`,
  };
}

/** nodemailer is loaded with the first message: start-up should not wait for it. */
const loadNodemailer = async () => (await import("nodemailer")).default;

function compose(from: string, message: MailMessage) {
  return {
    from: { name: message.tenantName, address: from },
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    // No read receipts, no tracking pixels, no list headers: a transactional message from the tenant.
    headers: { "Auto-Submitted": "auto-generated" },
  };
}
