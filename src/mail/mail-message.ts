/** A message Sigil sends: plain text and HTML, in the tenant's name, with no tracking of any kind. */
export interface MailMessage {
  tenant: string;
  /** The tenant's display name, used as the From name. */
  tenantName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends or files the message; rejects with a MailError the caller logs and never shows. */
  send(message: MailMessage): Promise<void>;
  /** Where messages go, for the start-up log line. */
  describe(): string;
}

export class MailError extends Error {
  override name = "MailError";
}
