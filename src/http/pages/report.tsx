/** `/offers/{id}/report`: "Signaler cette offre" — a reason and an optional message for the people who run the directory. */
import { raw } from "hono/html";
import type { Offer } from "../../domain/schemas.ts";
import { REPORT_REASONS } from "../../domain/moderation/schemas.ts";
import type { AT } from "../../i18n/admin.ts";
import { offerHref, type View } from "./components.tsx";
import { localized } from "./format.ts";
import { Layout } from "./layout.tsx";
import { Choices, Field, FormToken, SPACE_CSS, type Notice } from "./provider/shell.tsx";

export type ReportValues = { reason?: string; message?: string };

export function ReportPage(p: View & { at: AT; csrf: string; offer: Offer; values?: ReportValues; errors?: { reason?: string; message?: string }; notices?: Notice[] }) {
  const { at, locale, offer: o } = p;
  const title = localized(o.title, locale);
  const path = `/offers/${encodeURIComponent(o.id)}/report`;
  const v = p.values ?? {};
  return (
    <Layout locale={locale} t={p.t} title={at("report.title")} path={path} head={<style>{raw(SPACE_CSS)}</style>}>
      <div class="space">
        <p class="crumbs"><a href={offerHref(o.id, locale)}>← <span lang={title.lang === locale ? undefined : title.lang}>{title.text}</span></a></p>
        {(p.notices ?? []).map((n) => <div class={`note ${n.kind}`} role="alert" id={n.id}>{n.text}</div>)}
        <h1>{at("report.title")}</h1>
        <p class="lead">{at("report.lead")}</p>
        <form method="post" action={`${path}?lang=${locale}`} class="panel" novalidate>
          <FormToken csrf={p.csrf} />
          <Choices name="reason" legend={at("report.reason")} error={p.errors?.reason} type="radio" checked={v.reason ? [v.reason] : []}
            options={REPORT_REASONS.map((r) => ({ value: r, label: at(`report.reason.${r}`) }))} />
          <Field id="message" label={at("report.message")} hint={at("report.messageHint")} error={p.errors?.message}>
            {(a) => <textarea {...a} name="message" maxlength={1000} rows={5}>{v.message ?? ""}</textarea>}
          </Field>
          <div class="actions"><button class="btn" type="submit">{at("report.submit")}</button></div>
        </form>
      </div>
    </Layout>
  );
}

export function ReportSentPage(p: View & { at: AT; offer: Offer }) {
  const { at, locale, offer: o } = p;
  return (
    <Layout locale={locale} t={p.t} title={at("report.sentTitle")} path={`/offers/${encodeURIComponent(o.id)}/report`} head={<style>{raw(SPACE_CSS)}</style>}>
      <div class="space">
        <h1>{at("report.sentTitle")}</h1>
        <div class="note ok" role="status" id="report-sent"><p>{at("report.sent")}</p></div>
        <p><a class="btn" href={offerHref(o.id, locale)}>{at("report.back")}</a></p>
      </div>
    </Layout>
  );
}
