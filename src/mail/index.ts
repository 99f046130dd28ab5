export { createMailer } from "./nodemailer-mailer.ts";
export { createMailRouter, type MailRoute } from "./mail-router.ts";
export { MailError, type Mailer, type MailMessage } from "./mail-message.ts";
