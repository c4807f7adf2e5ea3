/**
 * Outgoing mail as the delivery layer sees it: a message, a sender, and what one attempt means for the outbox event
 * (the same outcomes as a webhook). The SMTP implementation is the runtime's (runtime/mailer.ts, nodemailer); Workers
 * have none, so mail is off there.
 */
import type { DeliveryOutcome } from "./webhooks.ts";

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  /** Stable across retries of one event (`<webhook-id@host>`), so mail systems can drop a repeated send. */
  messageId: string;
  headers?: Record<string, string>;
};

export type Mailer = {
  /** Sends one message (one attempt); never throws. */
  send(message: MailMessage): Promise<DeliveryOutcome>;
};

/**
 * SMTP reply codes: 2xx accepted; 4xx transient (greylisting, mailbox busy) → retry; 5xx permanent (no such user,
 * refused) → rejected; no code (connection refused, timeout, TLS) → retry.
 */
export function classifySmtp(error: { responseCode?: number; message?: string } | undefined): DeliveryOutcome {
  if (!error) return { kind: "delivered", status: 250 };
  const code = error.responseCode;
  const message = (error.message ?? "mail failed").slice(0, 300);
  if (code !== undefined && code >= 500) return { kind: "rejected", status: code, error: message };
  return { kind: "retry", ...(code !== undefined ? { status: code } : {}), error: message };
}
