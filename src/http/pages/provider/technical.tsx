/**
 * What went wrong when the directory talked to a provider's server (a pull, the domain proof, a webhook delivery), said
 * in the reader's language, with the technical message (English, from the network layer or the other server) kept
 * behind "Technical details" for whoever administers that server.
 */
import type { PT } from "../../../i18n/provider.ts";

type Kind = "dns" | "refused" | "timeout" | "tls" | "private" | "too-large" | "json" | "redirects" | "http404" | "httpAuth" | "http5xx" | "http" | "other";

/** Reads the kind of failure from the technical message (net.ts, webhooks.ts, sources/fetch.ts write them). */
export function failureKind(raw: string): { kind: Kind; status?: number } {
  const status = Number(/\bHTTP (\d{3})\b/.exec(raw)?.[1] ?? 0) || undefined;
  if (/ENOTFOUND|EAI_AGAIN|cannot resolve/i.test(raw)) return { kind: "dns" };
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH/i.test(raw)) return { kind: "refused" };
  if (/timed out|timeout|ETIMEDOUT/i.test(raw)) return { kind: "timeout" };
  if (/certificate|CERT_|TLS|SSL/i.test(raw)) return { kind: "tls" };
  if (/private or loopback/i.test(raw)) return { kind: "private" };
  if (/larger than|too large/i.test(raw)) return { kind: "too-large" };
  if (/not valid JSON/i.test(raw)) return { kind: "json" };
  if (/redirects/i.test(raw)) return { kind: "redirects" };
  if (status === 404 || status === 410) return { kind: "http404", status };
  if (status === 401 || status === 403) return { kind: "httpAuth", status };
  if (status && status >= 500) return { kind: "http5xx", status };
  if (status) return { kind: "http", status };
  return { kind: "other" };
}

/** One sentence for a person, then the technical message behind a disclosure. */
export function TechnicalError(p: { pt: PT; raw: string; lead?: string; id?: string }) {
  const { kind, status } = failureKind(p.raw);
  return (
    <div class="tech-error" id={p.id}>
      <p>{p.lead ? <>{p.lead} </> : null}{p.pt(`tech.${kind}`, { status: status ?? "" })}</p>
      <details class="small"><summary>{p.pt("tech.details")}</summary><code lang="en" translate="no">{p.raw}</code></details>
    </div>
  );
}
