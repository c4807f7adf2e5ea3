/** /provider/receiving: where signups go (webhook or Nextcloud), a test ping, and the deliveries with their attempts. */
import type { FormErrors } from "../../../domain/providers/offer-form.ts";
import type { DeliveryView } from "../../../domain/signups/views.ts";
import { withLang } from "../components.tsx";
import { dateTimeLabel } from "../format.ts";
import { ErrorSummary, Field, FormToken, PostButton, problemText, Secret, SpaceLayout, type Notice, type Signed } from "./shell.tsx";
import { TechnicalError } from "./technical.tsx";

const OUTCOMES = ["delivered", "retry", "rejected", "gone"] as const;

export type Ping = { delivered: boolean; outcome: string; status?: number; error?: string };
export type Attempt = { attempt: number; at: number; outcome: string; httpStatus: number | null; error: string | null; durationMs: number };

type Props = Signed & {
  webhook?: { url: string; enabled: boolean; disabledAt?: string; disabledReason?: string | null; updatedAt: string };
  nextcloud?: { url: string; updatedAt: string };
  secret?: string;
  ping?: Ping;
  deliveries: DeliveryView[];
  attempts: Map<string, Attempt[]>;
  nextCursor: string | null;
  errors?: FormErrors;
  values?: { url?: string; ncUrl?: string };
  notices?: Notice[];
};

export function ReceivingPage(p: Props) {
  const { pt, locale } = p;
  const errors = p.errors ?? {};
  const err = (f: string) => (errors[f] ? problemText(pt, locale, f, errors[f]) : undefined);
  const wh = p.webhook;
  return (
    <SpaceLayout {...p} title={pt("recv.title")} path="/provider/receiving" current="receiving" notices={p.notices}>
      <h1>{pt("recv.title")}</h1>
      <p class="lead">{pt("recv.lead")}</p>

      {p.secret ? (
        <div class="note warn" role="alert" id="secret-once">
          <p><strong>{pt("recv.secretOnce")}</strong></p>
          <Secret id="webhook-secret" label={pt("recv.secret")} value={p.secret}><p class="hint">{pt("recv.secretWhat")}</p></Secret>
        </div>
      ) : null}
      {p.ping ? (
        <div class={`note ${p.ping.delivered ? "ok" : "bad"}`} role="status" id="ping-result">
          <p><strong>{p.ping.delivered ? pt("recv.pingOk") : pt("recv.pingFailed")}</strong></p>
          <p>{p.ping.status ? pt("recv.pingStatus", { status: p.ping.status }) : pt("recv.pingNoAnswer")}</p>
          {p.ping.error ? <TechnicalError pt={pt} raw={p.ping.error} lead={pt("todo.lastError")} /> : null}
        </div>
      ) : null}

      <section class="panel" aria-labelledby="webhook-title" id="webhook">
        <h2 id="webhook-title">{pt("recv.webhook")}</h2>
        <p class="small">{pt("recv.webhookHelp")}</p>
        {wh ? (
          <dl class="facts">
            <dt>{pt("recv.address")}</dt><dd><code translate="no">{wh.url}</code></dd>
            <dt>{pt("recv.state")}</dt>
            <dd>{wh.enabled ? <span class="badge ok">{pt("recv.enabled")}</span> : <><span class="badge bad">{pt("recv.disabled")}</span> <span class="small">{pt("recv.disabledHelp", { date: dateTimeLabel(wh.disabledAt!, locale) })}</span></>}</dd>
          </dl>
        ) : <p>{pt("recv.noWebhook")}</p>}
        <form method="post" action={withLang("/provider/receiving/webhook", locale)} novalidate class="gap">
          <FormToken csrf={p.csrf} />
          <ErrorSummary pt={pt} errors={Object.fromEntries(Object.entries(errors).filter(([k]) => k === "url"))} />
          <Field id="url" label={pt("recv.webhookUrl")} hint={pt("recv.webhookUrlHint")} error={err("url")}>
            {(a) => <input {...a} name="url" type="url" required maxlength={2048} placeholder="https://" value={p.values?.url ?? wh?.url ?? ""} />}
          </Field>
          <div class="actions"><button class="btn" type="submit">{wh ? pt("recv.webhookChange") : pt("recv.webhookSet")}</button></div>
        </form>
        {wh ? (
          <div class="actions gap">
            <PostButton csrf={p.csrf} locale={locale} action="/provider/receiving/webhook/test" label={pt("recv.ping")} alt />
            <PostButton csrf={p.csrf} locale={locale} action="/provider/receiving/webhook/rotate" label={pt("recv.rotate")} alt />
          </div>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="nextcloud-title" id="nextcloud">
        <h2 id="nextcloud-title">{pt("recv.nextcloud")}</h2>
        <p class="small">{pt("recv.nextcloudHelp")}</p>
        {p.nextcloud ? <p>{pt("recv.nextcloudSet")} <code translate="no">{p.nextcloud.url}</code></p> : null}
        <form method="post" action={withLang("/provider/receiving/nextcloud", locale)} novalidate>
          <FormToken csrf={p.csrf} />
          <div class="row2">
            <Field id="ncUrl" label={pt("recv.nextcloudUrl")} error={err("ncUrl")}>
              {(a) => <input {...a} name="url" type="url" required maxlength={2048} placeholder="https://" value={p.values?.ncUrl ?? p.nextcloud?.url ?? ""} />}
            </Field>
            <Field id="ncToken" label={pt("recv.nextcloudToken")} hint={pt("recv.nextcloudTokenHint")} error={err("ncToken")}>
              {(a) => <input {...a} name="token" type="password" required maxlength={128} autocomplete="off" spellcheck={false} />}
            </Field>
          </div>
          <div class="actions"><button class="btn" type="submit">{pt("recv.nextcloudSave")}</button></div>
        </form>
        {p.nextcloud ? (
          <form method="post" action={withLang("/provider/receiving/nextcloud/remove", locale)} class="gap">
            <FormToken csrf={p.csrf} />
            <button class="btn alt" type="submit">{pt("recv.nextcloudRemove")}</button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="deliveries-title" id="deliveries">
        <h2 id="deliveries-title">{pt("recv.deliveries")}</h2>
        <p class="small">{pt("recv.deliveriesHelp")}</p>
        {p.deliveries.length === 0 ? <p>{pt("recv.noDeliveries")}</p> : (
          <ul class="rows">
            {p.deliveries.map((d) => {
              const attempts = p.attempts.get(d.id) ?? [];
              return (
                <li data-delivery={d.id} data-status={d.status}>
                  <div class="meta">
                    <span class={`badge ${d.status === "delivered" ? "ok" : d.status === "pending" ? "warn" : "bad"}`}>{pt(`delivery.${d.status}`)}</span>
                    <span>{dateTimeLabel(d.createdAt, locale)}</span>
                    <span>{d.attempts === 1 ? pt("recv.attemptsOne") : pt("recv.attempts", { n: d.attempts })}</span>
                  </div>
                  <dl>
                    {d.signupId ? <><dt>{pt("recv.signup")}</dt><dd><code translate="no">{d.signupId}</code></dd></> : null}
                    {d.lastStatus ? <><dt>{pt("recv.lastAnswer")}</dt><dd>{pt("recv.pingStatus", { status: d.lastStatus })}</dd></> : null}
                    {d.lastError ? <><dt>{pt("recv.lastError")}</dt><dd><TechnicalError pt={pt} raw={d.lastError} /></dd></> : null}
                    {d.nextAttemptAt ? <><dt>{pt("recv.nextAttempt")}</dt><dd>{dateTimeLabel(d.nextAttemptAt, locale)}</dd></> : null}
                  </dl>
                  {attempts.length ? (
                    <details class="attempts"><summary>{pt("recv.attemptsDetail")}</summary>
                      <ol>{attempts.map((a) => (
                        <li>{dateTimeLabel(new Date(a.at).toISOString(), locale)} — {OUTCOMES.includes(a.outcome as never) ? pt(`outcome.${a.outcome as (typeof OUTCOMES)[number]}`) : a.outcome}{a.httpStatus ? ` · HTTP ${a.httpStatus}` : ""}{a.error ? <> · <span lang="en">{a.error}</span></> : null}</li>
                      ))}</ol>
                    </details>
                  ) : null}
                  {d.status === "dead" || d.status === "rejected" ? (
                    <form method="post" action={withLang(`/provider/receiving/deliveries/${encodeURIComponent(d.id)}/redeliver`, locale)}>
                      <FormToken csrf={p.csrf} />
                      <button class="btn sm" type="submit">{pt("recv.redeliver")}</button>
                    </form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {p.nextCursor ? <p class="pager"><a href={withLang(`/provider/receiving?cursor=${encodeURIComponent(p.nextCursor)}#deliveries`, locale)}>{pt("recv.older")}</a></p> : null}
      </section>
    </SpaceLayout>
  );
}
