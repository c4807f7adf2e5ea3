/**
 * /signups/{id}?token=…: where the signup stands in plain words, what happens next, every step with its time. While
 * it is not finished the page refreshes itself (a meta refresh: no script needed).
 */
import { eventText, type StatusView } from "../../domain/signups/status.ts";
import type { Locale, T } from "../../i18n/index.ts";
import type { SignupMessageKey, ST } from "../../i18n/signups.ts";
import { formatTime } from "../../i18n/signups.ts";
import { withLang } from "./components.tsx";
import { colon, dateTimeLabel, safeHref } from "./format.ts";
import { Layout } from "./layout.tsx";

export const STATUS_REFRESH_SECONDS = 10;
/** preferred_providers' AccountController::validateEmailDelay: 6 hours to confirm the address. */
const NEXTCLOUD_CONFIRM_MS = 6 * 3_600_000;

const stateKey = (s: string) => `state.${s}` as SignupMessageKey;

type Props = { locale: Locale; t: T; st: ST; status: StatusView; offerTitle: string; service: string; retentionDays: number; path: string };

export function SignupStatusPage(p: Props) {
  const s = p.status;
  const provider = s.providerInfo.name;
  const website = safeHref(s.providerInfo.website);
  const final = s.status === "active" || s.status === "rejected" || s.status === "failed";
  const retrying = s.status === "pending" && s.delivery && s.delivery.attempts > 0 && s.delivery.nextAttemptAt;
  // Nextcloud (preferred_providers): the address must be confirmed within 6 hours of the account's creation.
  const nextcloudActive = s.mode === "nextcloud" && s.status === "active";
  const created = s.events.find((e) => e.status === "delivered")?.at;
  const taken = s.status === "rejected" && s.events.some((e) => e.message === "directory:nextcloud-taken");
  const now = retrying ? p.st("status.now.retrying", { provider, date: dateTimeLabel(s.delivery!.givesUpAt, p.locale) })
    : nextcloudActive ? p.st("status.now.active.nextcloud", { provider, deadline: dateTimeLabel(new Date(Date.parse(created ?? s.createdAt) + NEXTCLOUD_CONFIRM_MS).toISOString(), p.locale) })
    : taken ? p.st("status.now.rejected.nextcloud-taken", { provider })
    : p.st(`status.now.${s.status}` as SignupMessageKey, { provider });
  const lastMessage = [...s.events].reverse().find((e) => e.status === s.status && e.message && !e.message.startsWith("directory:"))?.message;
  const c = colon(p.locale);
  const others = withLang(`/?service=${encodeURIComponent(p.service)}&available=true`, p.locale);
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("status.title")} path={p.path} refreshSeconds={final ? undefined : STATUS_REFRESH_SECONDS}>
      <h1>{p.st("status.title")}</h1>
      <p class="lead">{p.st("status.offer")}{c}<strong>{p.offerTitle}</strong> — {p.st("status.provider")}{c}{provider}</p>
      <section class={`panel status ${s.status}`} aria-labelledby="now-title">
        <h2 id="now-title">{p.st("status.current")}{c}<strong data-status={s.status}>{p.st(nextcloudActive ? "state.active.nextcloud" : stateKey(s.status))}</strong></h2>
        <p>{now}</p>
        {s.status === "rejected" && lastMessage ? <blockquote>{lastMessage}</blockquote> : null}
        {s.status === "active" && s.loginUrl && safeHref(s.loginUrl) ? <p><a class="btn" href={safeHref(s.loginUrl)} rel="noopener">{p.st("status.login")}</a></p> : null}
        {s.status === "active" && !nextcloudActive ? <p class="small">{p.st("status.now.activeHelp", { provider })}</p> : null}
        {s.status === "rejected" || s.status === "failed" ? (
          <p><a class="btn" href={others}>{p.st("status.next.other")}</a>{website ? <> <a class="btn alt" href={website} rel="noopener noreferrer external">{p.st("status.next.contact", { provider })} ↗</a></> : null}</p>
        ) : null}
        {final ? null : <p class="small">{p.st("status.refreshing", { seconds: STATUS_REFRESH_SECONDS })}</p>}
      </section>
      <h2>{p.st("status.steps")}</h2>
      <ol class="steps">
        {s.events.map((e) => (
          <li data-status={e.status}>
            <time datetime={e.at}>{formatTime(e.at, p.locale)}</time> — {p.st(e.status === "active" && s.mode === "nextcloud" ? "state.active.nextcloud" : stateKey(e.status))}
            {e.message ? <div class="msg">{eventText(e.message, p.locale)}</div> : null}
          </li>
        ))}
      </ol>
      <section class="panel gap">
        <p>{p.st(s.mail ? "status.mailOn" : "status.mailOff")}</p>
        <p class="small">{p.st("status.contact")}{c}{website ? <a href={website} rel="noopener noreferrer external">{provider} ↗</a> : provider} · {p.st("status.privacy", { days: p.retentionDays })}</p>
        <p class="small">{p.st("status.keep")}</p>
      </section>
    </Layout>
  );
}

export function SignupNotFoundPage(p: { locale: Locale; t: T; st: ST; message: string; path: string }) {
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("status.title")} path={p.path}>
      <h1>{p.st("status.title")}</h1>
      <p>{p.message}</p>
      <p><a class="btn" href={withLang("/", p.locale)}>{p.t("notFound.back")}</a></p>
    </Layout>
  );
}
