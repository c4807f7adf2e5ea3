/**
 * A real SMTP server on a free loopback port (the `smtp-server` package, the server half of nodemailer's project),
 * recording every message it accepts, parsed by `mailparser`. `refuse` decides an answer per message: undefined
 * accepts it; `{ code: 451 }` is a transient refusal (greylisting), `{ code: 550 }` a permanent one.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Received = { from: string; to: string[]; mail: ParsedMail; raw: string };
export type Refusal = { code: number; message?: string } | undefined;

export async function startSmtp(refuse: (to: string[], n: number) => Refusal = () => undefined) {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        attempts++;
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refusal = refuse(to, attempts);
        if (refusal) {
          const err = Object.assign(new Error(refusal.message ?? (refusal.code >= 500 ? "Mailbox unavailable" : "Try again later")), { responseCode: refusal.code });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then((mail) => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to, mail, raw });
          for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
          callback();
        }, (e) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`, received,
    /** How many messages were refused or accepted so far. */
    attempts: () => attempts,
    /** Resolves once `n` messages have been accepted. */
    waitFor(n: number): Promise<void> {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
