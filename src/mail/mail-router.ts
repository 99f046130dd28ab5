import { createMailer } from "./nodemailer-mailer.ts";
import type { Mailer } from "./mail-message.ts";

export interface MailRoute {
  /** The SMTP server for the tenant (its own, else the global one), or null for the outbox. */
  smtpUrl: string | null;
  from: string;
}

/**
 * Sends each message through its tenant's route: a tenant's own SMTP server and From
 * address when it set them, the global ones otherwise. Transports are made once per
 * route and reused; a changed setting makes a new one.
 */
export function createMailRouter(route: (tenant: string) => Promise<MailRoute>, dataDir: string, describe: () => string): Mailer {
  const mailers = new Map<string, Mailer>();
  return {
    async send(message) {
      const { smtpUrl, from } = await route(message.tenant);
      const key = `${smtpUrl ?? ""}\n${from}`;
      let mailer = mailers.get(key);
      if (!mailer) mailers.set(key, (mailer = createMailer({ smtpUrl, from, dataDir })));
      await mailer.send(message);
    },
    describe,
  };
}
