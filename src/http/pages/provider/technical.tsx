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

/** The reader's words for the validator messages a pulled file's problems carry (schemas.ts and valibot write them). */
export function issueText(pt: PT, message: string): { path?: string; text: string; translated: boolean } {
  const m = /^([\w.[\]-]+): (.*)$/s.exec(message);
  const path = m?.[1];
  const detail = m ? m[2] : message;
  const kinds: Record<string, string> = { string: "text", number: "number", boolean: "boolean", Object: "object", Array: "list" };
  const say = (text: string) => ({ ...(path ? { path } : {}), text, translated: true });
  let x: RegExpExecArray | null;
  if (/^Invalid key: Expected "[^"]+" but received undefined$/.test(detail)) return say(pt("issue.missing"));
  if ((x = /^Invalid type: Expected \((.+)\) but received "(.*)"$/s.exec(detail))) {
    return say(pt("issue.notAllowed", { value: x[2], allowed: x[1].split(" | ").map((s) => s.replace(/^"|"$/g, "")).join(", ") }));
  }
  if ((x = /^Invalid type: Expected (string|number|boolean|Object|Array) but received .+$/.exec(detail))) return say(pt(`issue.type.${kinds[x[1]] as "text"}`));
  if (detail === "must not be empty") return say(pt("issue.empty"));
  if (detail === "must be 2–63 lowercase letters, digits or hyphens") return say(pt("issue.slug"));
  if (detail === "must be an ISO 3166-1 alpha-2 code such as FR") return say(pt("issue.country"));
  if (detail === "is required when mode is external") return say(pt("issue.signupUrl"));
  if ((x = /^must be at most (\d+) characters$/.exec(detail))) return say(pt("issue.tooLong", { max: x[1] }));
  return { ...(path ? { path } : {}), text: detail, translated: false };
}

/** One problem of a pulled file: where in the offer, then what is wrong (in English only when we have no words for it). */
export function IssueLine(p: { pt: PT; message: string }) {
  const i = issueText(p.pt, p.message);
  return <>{i.path ? <><code translate="no">{i.path}</code>{p.pt("issue.sep")}</> : null}{i.translated ? i.text : <span lang="en">{i.text}</span>}</>;
}
