/** SMTP through nodemailer (Node only), configured by SMTP_URL and MAIL_FROM. */
import nodemailer from "nodemailer";
import { classifySmtp, type Mailer } from "../delivery/mail.ts";

export function smtpMailer(config: { smtpUrl: string; from: string }, opts: { timeoutMs?: number } = {}): Mailer & { close(): void } {
  const timeout = opts.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport(config.smtpUrl, {
    // Bounded like every other outbound call: a stuck server must not hold a delivery slot for long.
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: 2 * timeout,
  } as never);
  return {
    async send(m) {
      try {
        await transport.sendMail({
          from: config.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId,
          headers: { "Auto-Submitted": "auto-generated", ...m.headers },
        });
        return classifySmtp(undefined);
      } catch (e) {
        return classifySmtp(e as { responseCode?: number; message?: string });
      }
    },
    close: () => transport.close(),
  };
}
