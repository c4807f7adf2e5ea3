/**
 * /signups/{id}?token=…: where the signup stands in plain words, what happens next, every step with its time. While
 * it is not finished the page refreshes itself (a meta refresh: no script needed).
 */
import { eventText, type StatusView } from "../../domain/signups/status.ts";
import type { Locale, T } from "../../i18n/index.ts";
import type { SignupMessageKey, ST } from "../../i18n/signups.ts";
import { formatTime } from "../../i18n/signups.ts";
import { mark, Name, rich, withLang } from "./components.tsx";
import { colon, dateTimeLabel, safeHref } from "./format.ts";
import { Layout } from "./layout.tsx";

/**
 * How often an unfinished signup's page reloads itself: often while things are moving (a provider that answers does
 * so within seconds), less once the last step is older, so a forgotten tab costs little.
 */
export function refreshSeconds(lastStepAtMs: number, nowMs: number): number {
  const age = nowMs - lastStepAtMs;
  return age < 60_000 ? 3 : age < 3_600_000 ? 10 : 60;
}
/** preferred_providers' AccountController::validateEmailDelay: 6 hours to confirm the address. */
const NEXTCLOUD_CONFIRM_MS = 6 * 3_600_000;

const stateKey = (s: string) => `state.${s}` as SignupMessageKey;

type Props = {
  nowMs: number;
  locale: Locale; t: T; st: ST; status: StatusView; offerTitle: string; service: string; retentionDays: number; path: string; token?: string;
  /** Set when the offer's title is shown in another language than the page's. */
  offerTitleLang?: string;
};

export function SignupStatusPage(p: Props) {
  const s = p.status;
  const provider = s.providerInfo.name;
  const website = safeHref(s.providerInfo.website);
  const final = s.status === "active" || s.status === "rejected" || s.status === "failed";
  const retrying = s.status === "pending" && s.delivery && s.delivery.attempts > 0 && s.delivery.nextAttemptAt;
  const name = <Name>{provider}</Name>;
  // Nextcloud (preferred_providers): the address must be confirmed within 6 hours of the account's creation.
  const nextcloudActive = s.mode === "nextcloud" && s.status === "active";
  const created = s.events.find((e) => e.status === "delivered")?.at;
  const taken = s.status === "rejected" && s.events.some((e) => e.message === "directory:nextcloud-taken");
  const now = rich(retrying ? p.st("status.now.retrying", { ...mark("provider"), date: dateTimeLabel(s.delivery!.givesUpAt, p.locale) })
    : nextcloudActive ? p.st("status.now.active.nextcloud", { ...mark("provider"), deadline: dateTimeLabel(new Date(Date.parse(created ?? s.createdAt) + NEXTCLOUD_CONFIRM_MS).toISOString(), p.locale) })
    : taken ? p.st("status.now.rejected.nextcloud-taken", mark("provider"))
    : p.st(s.status === "active" && !(s.loginUrl && safeHref(s.loginUrl)) ? "status.now.activeNoLogin" : `status.now.${s.status}` as SignupMessageKey, mark("provider")), { provider: name });
  const lastMessage = [...s.events].reverse().find((e) => e.status === s.status && e.message && !e.message.startsWith("directory:"))?.message;
  const c = colon(p.locale);
  const lastStep = s.events.length ? Date.parse(s.events[s.events.length - 1].at) : p.nowMs;
  const every = refreshSeconds(lastStep, p.nowMs);
  const others = withLang(`/?service=${encodeURIComponent(p.service)}&available=true`, p.locale);
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("status.title")} path={p.path} refreshSeconds={final ? undefined : every}>
      <h1>{p.st("status.title")}</h1>
      <p class="lead">{p.st("status.offer")}{c}<strong lang={p.offerTitleLang}>{p.offerTitle}</strong> — {p.st("status.provider")}{c}{name}</p>
      <section class={`panel status ${s.status}`} aria-labelledby="now-title">
        <h2 id="now-title">{p.st("status.current")}{c}<strong data-status={s.status}>{p.st(nextcloudActive ? "state.active.nextcloud" : stateKey(s.status))}</strong></h2>
        <p>{now}</p>
        {/* The provider's own words, in a language we do not know (lang=""). */}
        {s.status === "rejected" && lastMessage ? <blockquote lang="">{lastMessage}</blockquote> : null}
        {s.status === "active" && s.loginUrl && safeHref(s.loginUrl) ? <p><a class="btn" href={safeHref(s.loginUrl)} rel="noopener">{p.st("status.login")}</a></p> : null}
        {s.status === "active" && !nextcloudActive ? <p class="small">{rich(p.st("status.now.activeHelp", mark("provider")), { provider: name })}</p> : null}
        {s.status === "rejected" || s.status === "failed" ? (
          <p><a class="btn" href={others}>{p.st("status.next.other")}</a>{website ? <> <a class="btn alt" href={website} rel="noopener noreferrer external">{rich(p.st("status.next.contact", mark("provider")), { provider: name })} ↗</a></> : null}</p>
        ) : null}
        {final ? null : <p class="small">{p.st("status.refreshing", { seconds: every })}</p>}
      </section>
      <h2>{p.st("status.steps")}</h2>
      <ol class="steps">
        {s.events.map((e, i) => {
          // A step that does not change the state (a hand-over to the offer's directory) says only what happened.
          const same = i > 0 && s.events[i - 1].status === e.status && e.message;
          const lang = e.message && !e.message.startsWith("directory:") ? "" : undefined;
          const state = p.st(e.status === "active" && s.mode === "nextcloud" ? "state.active.nextcloud" : stateKey(e.status));
          return (
            <li data-status={e.status}>
              <time datetime={e.at}>{formatTime(e.at, p.locale)}</time> — {same ? <span lang={lang}>{eventText(e.message, p.locale)}</span> : state}
              {e.message && !same ? <div class="msg" lang={lang}>{eventText(e.message, p.locale)}</div> : null}
            </li>
          );
        })}
      </ol>
      <section class="panel gap">
        <p>{p.st(s.mail ? "status.mailOn" : "status.mailOff")}</p>
        <p class="small">{p.st("status.contact")}{c}{website ? <a href={website} rel="noopener noreferrer external">{name} ↗</a> : name} · {p.st("status.privacy", { days: p.retentionDays })} <a href={withLang("/privacy", p.locale)}>{p.st("status.privacyLink")}</a></p>
        {s.erasedAt ? <p id="erased"><strong>{p.st("status.erased", { date: dateTimeLabel(s.erasedAt, p.locale) })}</strong></p> : final && p.token ? (
          <form method="post" action={`/signups/${encodeURIComponent(s.id)}/erase?lang=${p.locale}`} class="erase">
            <input type="hidden" name="token" value={p.token} />
            <p class="small">{rich(p.st("status.eraseHelp", mark("provider")), { provider: name })}</p>
            <button class="btn alt" type="submit">{p.st("status.erase")}</button>
          </form>
        ) : null}
        {final ? null : <p class="small">{p.st("status.keep")}</p>}
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
