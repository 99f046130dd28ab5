export { createMailer } from "./nodemailer-mailer.ts";
export { MailError, type Mailer, type MailMessage } from "./mail-message.ts";
