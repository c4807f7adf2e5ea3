import type { Locale, T } from "../../i18n/index.ts";
import { formatTime, type SignupMessageKey, type ST } from "../../i18n/signups.ts";
import type { StatusView } from "../../domain/signups/status.ts";
import { Layout } from "./layout.tsx";

const stateKey = (s: string) => `state.${s}` as SignupMessageKey;

/** /signups/{id}?token=…: the current state and every step with its time. */
export function SignupStatusPage(p: { locale: Locale; t: T; st: ST; status: StatusView; offerTitle: string; providerName: string; path: string }) {
  const s = p.status;
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("status.title")} path={p.path}>
      <h1>{p.st("status.title")}</h1>
      <p>{p.st("status.offer")}: <strong>{p.offerTitle}</strong> — {p.st("status.provider")}: {p.providerName}</p>
      <p>{p.st("status.current")}: <strong data-status={s.status}>{p.st(stateKey(s.status))}</strong></p>
      {s.loginUrl ? <p><a href={s.loginUrl} rel="noopener">{p.st("status.login")}</a></p> : null}
      <h2>{p.st("status.steps")}</h2>
      <ol class="steps">
        {s.events.map((e) => (
          <li data-status={e.status}>
            <time datetime={e.at}>{formatTime(e.at, p.locale)}</time> — {p.st(stateKey(e.status))}
            {e.message ? <div class="msg">{e.message}</div> : null}
          </li>
        ))}
      </ol>
      <p><small>{p.st("status.keep")}</small></p>
      <style>{`ol.steps li{margin:.3rem 0}.msg{color:#555;font-size:.95em}`}</style>
    </Layout>
  );
}

export function SignupNotFoundPage(p: { locale: Locale; t: T; st: ST; message: string; path: string }) {
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("status.title")} path={p.path}>
      <h1>{p.st("status.title")}</h1>
      <p>{p.message}</p>
    </Layout>
  );
}
