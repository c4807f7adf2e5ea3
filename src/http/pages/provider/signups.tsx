/** /provider/signups: the requests people sent, and moving them along (creating, ready with a login link, declined). */
import type { ProviderSignup } from "../../../domain/signups/status.ts";
import { signupTranslator } from "../../../i18n/signups.ts";
import { withLang } from "../components.tsx";
import { dateTimeLabel, languageName } from "../format.ts";
import { FormToken, SpaceLayout, type Notice, type Signed } from "./shell.tsx";

export type SignupFilter = "open" | "done" | "all";

type Props = Signed & {
  filter: SignupFilter; items: ProviderSignup[]; titles: Map<string, { text: string; lang?: string }>; nextCursor: string | null;
  /** A refused action, by signup id: the message to show beside it. */
  problems?: Record<string, string>; values?: Record<string, { loginUrl?: string; message?: string }>; notices?: Notice[];
};

const LIVE = new Set(["pending", "delivered", "provisioning"]);

export function SignupsPage(p: Props) {
  const { pt, locale } = p;
  const st = signupTranslator(locale);
  const tab = (f: SignupFilter) => (
    <a href={withLang(`/provider/signups?show=${f}`, locale)} aria-current={p.filter === f ? "page" : undefined}>{pt(`signups.show.${f}`)}</a>
  );
  // A refused update of a signup not shown in this list (a finished one) is said at the top.
  const shown = new Set(p.items.map((s) => s.id));
  const elsewhere: Notice[] = Object.entries(p.problems ?? {}).filter(([id]) => !shown.has(id)).map(([, text]) => ({ kind: "bad", text }));
  return (
    <SpaceLayout {...p} title={pt("signups.title")} path="/provider/signups" current="signups" notices={[...(p.notices ?? []), ...elsewhere]}>
      <h1>{pt("signups.title")}</h1>
      <p class="lead">{pt("signups.lead")}</p>
      <nav aria-label={pt("signups.filter")} class="space-nav tabs">{tab("open")}{tab("done")}{tab("all")}</nav>
      {p.items.length === 0 ? <p class="panel gap">{pt(`signups.none.${p.filter}`)}</p> : (
        <ul class="rows gap" id="signups">
          {p.items.map((s) => {
            const title = p.titles.get(s.offerId);
            const live = LIVE.has(s.status);
            const problem = p.problems?.[s.id];
            const v = p.values?.[s.id] ?? {};
            const base = `/provider/signups/${encodeURIComponent(s.id)}`;
            return (
              <li data-signup={s.id} data-status={s.status}>
                <h2 class="h3">{s.account.name ?? pt("signups.erased")}</h2>
                <div class="meta">
                  <span class={`badge ${s.status === "active" ? "ok" : s.status === "rejected" || s.status === "failed" ? "bad" : "warn"}`} data-status={s.status}>{pt(`signups.state.${s.status}` as never)}</span>
                  <span>{dateTimeLabel(s.createdAt, locale)}</span>
                </div>
                <dl>
                  <dt>{pt("signups.offer")}</dt><dd lang={title?.lang}>{title?.text ?? s.offerId}</dd>
                  {s.account.email ? <><dt>{pt("signups.email")}</dt><dd><a href={`mailto:${s.account.email}`}>{s.account.email}</a></dd></> : null}
                  {s.account.username ? <><dt>{pt("signups.username")}</dt><dd><code translate="no">{s.account.username}</code></dd></> : null}
                  <dt>{pt("signups.language")}</dt><dd>{languageName(s.account.locale, locale)}</dd>
                  {s.message ? <><dt>{pt("signups.message")}</dt><dd lang="">{s.message}</dd></> : null}
                </dl>
                {problem ? <p class="error" role="alert" id={`${s.id}-problem`}>{problem}</p> : null}
                {live ? (
                  <details class="attempts" open={problem ? true : undefined}>
                    <summary>{pt("signups.move")}</summary>
                    {s.status !== "provisioning" ? (
                      <form method="post" action={withLang(`${base}/provisioning`, locale)} class="gap">
                        <FormToken csrf={p.csrf} />
                        <button class="btn sm alt" type="submit">{pt("signups.provisioning")}</button>
                      </form>
                    ) : null}
                    <form method="post" action={withLang(`${base}/active`, locale)} class="gap" novalidate>
                      <FormToken csrf={p.csrf} />
                      <div class="field">
                        <label for={`${s.id}-login`}>{pt("signups.loginUrl")}</label>
                        <p class="hint" id={`${s.id}-login-hint`}>{pt("signups.loginUrlHint")}</p>
                        <input id={`${s.id}-login`} name="loginUrl" type="url" maxlength={2048} placeholder="https://" value={v.loginUrl ?? ""} aria-describedby={`${s.id}-login-hint`} />
                      </div>
                      <button class="btn sm" type="submit">{pt("signups.active")}</button>
                    </form>
                    <form method="post" action={withLang(`${base}/rejected`, locale)} class="gap">
                      <FormToken csrf={p.csrf} />
                      <div class="field">
                        <label for={`${s.id}-reason`}>{pt("signups.reason")}</label>
                        <p class="hint" id={`${s.id}-reason-hint`}>{pt("signups.reasonHint")}</p>
                        <textarea id={`${s.id}-reason`} name="message" maxlength={1000} rows={2} aria-describedby={`${s.id}-reason-hint`}>{v.message ?? ""}</textarea>
                      </div>
                      <button class="btn sm bad" type="submit">{pt("signups.rejected")}</button>
                    </form>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {p.nextCursor ? <p class="pager"><a href={withLang(`/provider/signups?show=${p.filter}&cursor=${encodeURIComponent(p.nextCursor)}`, locale)}>{pt("signups.older")}</a></p> : null}
    </SpaceLayout>
  );
}
