/** The operator pages: sign-in, overview, review queue, one provider, reports, what is hidden, the audit log. */
import type { Child } from "hono/jsx";
import type { Offer } from "../../../domain/schemas.ts";
import type { AuditView, QueueEntryView, ReportView } from "../../../domain/moderation/views.ts";
import type { OwnOffer } from "../../../domain/catalog/views.ts";
import type { ListingPolicy } from "../../../domain/catalog/listing.ts";
import { withLang, offerHref, providerHref } from "../components.tsx";
import { countryName, dateLabel, dateTimeLabel, localized, safeHref, vocab } from "../format.ts";
import { Field, FormToken } from "../provider/shell.tsx";
import { ActionForm, AdminLayout, ProviderActions, type AdminView, type Notice, type SignedAdmin } from "./shell.tsx";

const MEMBERSHIP = { member: "admin.membership.member", idle: "admin.membership.idle", unconfirmed: "admin.membership.unconfirmed", none: "admin.membership.none" } as const;

export function AdminSigninPage(p: AdminView & { notices?: Notice[]; tokenError?: string; name?: string }) {
  const { at, locale } = p;
  return (
    <AdminLayout {...p} title={at("admin.signin.title")} path="/admin/signin" notices={p.notices}>
      <h1>{at("admin.signin.title")}</h1>
      <p class="lead">{at("admin.signin.lead")}</p>
      <form method="post" action={withLang("/admin/signin", locale)} class="panel" novalidate>
        <FormToken csrf={p.csrf} />
        <Field id="admin-token" label={at("admin.signin.token")} hint={at("admin.signin.tokenHint")} error={p.tokenError}>
          {(a) => <input {...a} name="token" type="password" required maxlength={500} autocomplete="current-password" spellcheck={false} />}
        </Field>
        <Field id="admin-name" label={at("admin.signin.name")} hint={at("admin.signin.nameHint")}>
          {(a) => <input {...a} name="name" maxlength={80} autocomplete="name" value={p.name ?? ""} />}
        </Field>
        <div class="actions"><button class="btn" type="submit">{at("admin.signin.submit")}</button></div>
      </form>
    </AdminLayout>
  );
}

export function AdminDisabledPage(p: AdminView) {
  return (
    <AdminLayout {...p} title={p.at("admin.disabled.title")} path="/admin">
      <h1>{p.at("admin.disabled.title")}</h1>
      <p class="note warn">{p.at("admin.disabled.text")}</p>
    </AdminLayout>
  );
}

export function AdminRefusedPage(p: AdminView & { why: "token" | "too-large"; back: string }) {
  return (
    <AdminLayout {...p} title={p.at("admin.refused.title")} path={p.back}>
      <h1>{p.at("admin.refused.title")}</h1>
      <div class="note bad" role="alert"><p>{p.why === "token" ? p.at("admin.refused.token") : p.at("admin.refused.tooLarge")}</p></div>
      <p><a class="btn" href={withLang(p.back, p.locale)}>{p.at("admin.refused.back")}</a></p>
    </AdminLayout>
  );
}

export function AdminOverviewPage(p: SignedAdmin & { counts: { waiting: number; openReports: number; hiddenProviders: number; hiddenOffers: number }; policy: ListingPolicy; notices?: Notice[]; findError?: string; find?: string }) {
  const { at, locale, counts } = p;
  const stat = (n: number, label: string, href: string, id: string) => <li><strong id={id}>{n}</strong><a href={withLang(href, locale)}>{label}</a></li>;
  return (
    <AdminLayout {...p} title={at("admin.overview.title")} path="/admin" current="overview" notices={p.notices}>
      <h1>{at("admin.overview.title")}</h1>
      <p class="note ok" id="policy">{p.policy === "open" ? at("admin.overview.open") : at("admin.overview.reviewed")}</p>
      <ul class="stats">
        {stat(counts.waiting, at("admin.stat.waiting"), "/admin/review", "stat-waiting")}
        {stat(counts.openReports, at("admin.stat.reports"), "/admin/reports", "stat-reports")}
        {stat(counts.hiddenProviders, at("admin.stat.hiddenProviders"), "/admin/hidden", "stat-hidden-providers")}
        {stat(counts.hiddenOffers, at("admin.stat.hiddenOffers"), "/admin/hidden", "stat-hidden-offers")}
      </ul>
      <form method="get" action="/admin/find" class="panel">
        <input type="hidden" name="lang" value={locale} />
        <Field id="find" label={at("admin.find.label")} hint={at("admin.find.hint")} error={p.findError}>
          {(a) => <input {...a} name="slug" maxlength={63} autocapitalize="off" spellcheck={false} value={p.find ?? ""} />}
        </Field>
        <div class="actions"><button class="btn sm" type="submit">{at("admin.find.submit")}</button></div>
      </form>
    </AdminLayout>
  );
}

function Facts(p: { items: Array<[string, Child]> }) {
  return <dl>{p.items.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>;
}

export function ReviewQueuePage(p: SignedAdmin & { items: QueueEntryView[]; total: number; notices?: Notice[] }) {
  const { at, locale, t } = p;
  return (
    <AdminLayout {...p} title={at("admin.review.title")} path="/admin/review" current="review" notices={p.notices}>
      <h1>{at("admin.review.title")}</h1>
      <p class="lead">{at("admin.review.lead")}</p>
      {p.items.length === 0 ? <p class="panel" id="queue-empty">{at("admin.review.empty")}</p> : (
        <ul class="rows" id="queue">
          {p.items.map((q) => {
            const desc = localized(q.description, locale);
            const site = safeHref(q.website);
            return (
              <li data-provider={q.slug}>
                <h2 class="h3"><span translate="no">{q.name}</span></h2>
                <p class="small">{at("admin.review.joined", { date: dateLabel(q.createdAt, locale) })} · {q.offerCount === 1 ? at("admin.review.offersOne") : at("admin.review.offers", { n: q.offerCount })}</p>
                {desc.text ? <p lang={desc.lang === locale ? undefined : desc.lang}>{desc.text}</p> : null}
                <Facts items={[
                  [at("admin.field.website"), site ? <a href={site} rel="noopener noreferrer external">{q.website}</a> : q.website],
                  [at("admin.field.domain"), q.verified ? at("admin.domain.yes") : at("admin.domain.no")],
                  [at("admin.field.membership"), at(MEMBERSHIP[q.chatonsMembership])],
                  [at("admin.field.country"), countryName(q.country, locale)],
                  [at("admin.field.orgType"), vocab(t, "orgType", q.orgType)],
                  [at("admin.field.email"), q.email ?? "—"],
                ]} />
                <p><a href={withLang(`/admin/providers/${encodeURIComponent(q.slug)}`, locale)}>{at("admin.review.details")}</a></p>
                <ProviderActions {...p} slug={q.slug} state="waiting-for-review" back="/admin/review" />
              </li>
            );
          })}
        </ul>
      )}
    </AdminLayout>
  );
}

export type AdminProvider = {
  slug: string; name: string; website: string; country: string; orgType: string; email: string | null; verified: boolean;
  membership: keyof typeof MEMBERSHIP; state: "listed" | "waiting-for-review" | "hidden"; reviewedAt: string | null; hiddenAt: string | null; hiddenReason: string | null;
};

export function AdminProviderPage(p: SignedAdmin & { provider: AdminProvider; offers: OwnOffer[]; history: AuditView[]; notices?: Notice[] }) {
  const { at, locale, t, provider: pr } = p;
  const back = `/admin/providers/${encodeURIComponent(pr.slug)}`;
  const site = safeHref(pr.website);
  return (
    <AdminLayout {...p} title={pr.name} path={back} notices={p.notices}>
      <h1 translate="no">{pr.name}</h1>
      <p><span class={`badge ${pr.state === "listed" ? "ok" : pr.state === "hidden" ? "bad" : "warn"}`} id="provider-state" data-state={pr.state}>{at(`admin.state.${pr.state}`)}</span></p>
      <section class="panel">
        <Facts items={[
          [at("admin.field.website"), site ? <a href={site} rel="noopener noreferrer external">{pr.website}</a> : pr.website],
          [at("admin.field.domain"), pr.verified ? at("admin.domain.yes") : at("admin.domain.no")],
          [at("admin.field.membership"), at(MEMBERSHIP[pr.membership])],
          [at("admin.field.country"), countryName(pr.country, locale)],
          [at("admin.field.orgType"), vocab(t, "orgType", pr.orgType)],
          [at("admin.field.email"), pr.email ?? "—"],
        ]} />
        {pr.reviewedAt ? <p class="small">{at("admin.provider.reviewed", { date: dateLabel(pr.reviewedAt, locale) })}</p> : null}
        {pr.hiddenAt ? <p class="small">{at("admin.provider.hiddenSince", { date: dateLabel(pr.hiddenAt, locale) })} {pr.hiddenReason ? <>{at("admin.provider.reason")} <span lang="">{pr.hiddenReason}</span></> : null}</p> : null}
        {pr.state === "listed" ? <p class="small"><a href={providerHref(pr.slug, locale)}>{at("admin.provider.public")}</a></p> : null}
        <p class="small">{at("admin.provider.hideHelp")}</p>
        <ProviderActions {...p} slug={pr.slug} state={pr.state} back={back} />
      </section>
      <h2>{at("admin.provider.offers")}</h2>
      {p.offers.length === 0 ? <p class="panel">{at("admin.provider.noOffers")}</p> : (
        <ul class="rows" id="offers">{p.offers.map((o) => <AdminOfferRow {...p} offer={o} back={back} />)}</ul>
      )}
      {p.history.length ? (
        <>
          <h2>{at("admin.provider.history")}</h2>
          <AuditTable {...p} items={p.history} />
        </>
      ) : null}
    </AdminLayout>
  );
}

function AdminOfferRow(p: SignedAdmin & { offer: OwnOffer; back: string }) {
  const { at, locale, t, offer: o } = p;
  const title = localized(o.title, locale);
  const state = o.listing?.state === "hidden" ? "hidden" : o.listing?.state === "provider-hidden" ? "provider-hidden" : o.listing?.state === "waiting-for-review" ? "waiting" : "listed";
  const hidden = o.listing?.state === "hidden";
  const id = o.id.replace(/[^a-z0-9-]/g, "-");
  return (
    <li data-offer={o.id}>
      <h3 lang={title.lang === locale ? undefined : title.lang}>{title.text}</h3>
      <p class="meta"><span class={`badge ${state === "listed" ? "ok" : state === "hidden" ? "bad" : "warn"}`} data-state={state}>{at(`admin.offer.state.${state}`)}</span>
        <span>{vocab(t, "service", o.service)}</span> <span translate="no">{o.software.name}</span></p>
      {hidden && o.listing?.reason ? <p class="small">{at("admin.provider.reason")} <span lang="">{o.listing.reason}</span></p> : null}
      {state === "listed" ? <p class="small"><a href={offerHref(o.id, locale)}>{at("admin.provider.public")}</a></p> : null}
      {hidden
        ? <ActionForm csrf={p.csrf} locale={locale} action={`/admin/offers/${encodeURIComponent(o.id)}/unhide`} back={p.back} button={at("admin.unhide")} text={{ name: "reason", label: at("admin.note"), id: `unhide-${id}` }} />
        : <ActionForm csrf={p.csrf} locale={locale} action={`/admin/offers/${encodeURIComponent(o.id)}/hide`} back={p.back} button={at("admin.hide")} danger text={{ name: "reason", label: at("admin.hideReason"), required: true, id: `hide-${id}` }} />}
    </li>
  );
}

export function ReportsPage(p: SignedAdmin & { show: "open" | "closed"; items: ReportView[]; nextCursor: string | null; notices?: Notice[] }) {
  const { at, locale } = p;
  const back = `/admin/reports${p.show === "closed" ? "?show=closed" : ""}`;
  return (
    <AdminLayout {...p} title={at("admin.reports.title")} path={back} current="reports" notices={p.notices}>
      <h1>{at("admin.reports.title")}</h1>
      <p class="lead">{at("admin.reports.lead")}</p>
      <nav class="tabs" aria-label={at("admin.reports.title")}>
        <a href={withLang("/admin/reports", locale)} aria-current={p.show === "open" ? "page" : undefined}>{at("admin.reports.open")}</a>
        <a href={withLang("/admin/reports?show=closed", locale)} aria-current={p.show === "closed" ? "page" : undefined}>{at("admin.reports.closed")}</a>
      </nav>
      {p.items.length === 0 ? <p class="panel" id="reports-empty">{p.show === "open" ? at("admin.reports.empty") : at("admin.reports.emptyClosed")}</p> : (
        <ul class="rows" id="reports">
          {p.items.map((r) => (
            <li data-report={String(r.id)}>
              <h2 class="h3">
                {r.offerTitle ? <>{at("admin.reports.about", { offer: "\u0000" }).split("\u0000")[0]}<a href={offerHref(r.offerId, locale)} lang="">{r.offerTitle}</a></> : <code translate="no">{r.offerId}</code>}
                {r.provider ? <span class="small"> · <a href={withLang(`/admin/providers/${encodeURIComponent(r.provider.slug)}`, locale)} translate="no">{r.provider.name}</a></span> : null}
              </h2>
              <p class="small">{at("admin.reports.received", { date: dateTimeLabel(r.createdAt, locale) })}</p>
              <p><strong>{at("admin.reports.why")}</strong> {at(`report.reason.${r.reason}`)}</p>
              {r.message ? <><p><strong>{at("admin.reports.message")}</strong></p><blockquote class="msg" lang="">{r.message}</blockquote></> : <p class="small">{at("admin.reports.noMessage")}</p>}
              {!r.offerTitle ? <p class="small">{at("admin.reports.gone")}</p> : null}
              {r.status === "closed" ? (
                <p class="small">{at("admin.reports.closedBy", { date: dateTimeLabel(r.closedAt!, locale), name: r.closedBy ?? "" })}{r.closedNote ? <> <span lang="">{r.closedNote}</span></> : null}</p>
              ) : (
                <div class="acts">
                  <ActionForm csrf={p.csrf} locale={locale} action={`/admin/reports/${r.id}/close`} back={back} button={at("admin.reports.close")} text={{ name: "note", label: at("admin.reports.closeNote"), id: `close-${r.id}` }} />
                  {r.offerTitle ? <ActionForm csrf={p.csrf} locale={locale} action={`/admin/offers/${encodeURIComponent(r.offerId)}/hide`} back={back} button={at("admin.reports.hideOffer")} danger text={{ name: "reason", label: at("admin.hideReason"), required: true, id: `hide-report-${r.id}` }} /> : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {p.nextCursor ? <p><a href={withLang(`/admin/reports?${p.show === "closed" ? "show=closed&" : ""}cursor=${p.nextCursor}`, locale)}>{at("admin.reports.more")}</a></p> : null}
    </AdminLayout>
  );
}

export function HiddenPage(p: SignedAdmin & { providers: Array<{ slug: string; name: string; hiddenAt: string; reason: string | null }>; offers: Array<{ id: string; title: string; provider: string; hiddenAt: string; reason: string | null }>; notices?: Notice[] }) {
  const { at, locale } = p;
  return (
    <AdminLayout {...p} title={at("admin.hidden.title")} path="/admin/hidden" current="hidden" notices={p.notices}>
      <h1>{at("admin.hidden.title")}</h1>
      <p class="lead">{at("admin.hidden.lead")}</p>
      {p.providers.length === 0 && p.offers.length === 0 ? <p class="panel" id="hidden-empty">{at("admin.hidden.none")}</p> : null}
      {p.providers.length ? (
        <>
          <h2>{at("admin.hidden.providers")}</h2>
          <ul class="rows" id="hidden-providers">
            {p.providers.map((h) => (
              <li data-provider={h.slug}>
                <h3><a href={withLang(`/admin/providers/${encodeURIComponent(h.slug)}`, locale)} translate="no">{h.name}</a></h3>
                <p class="small">{at("admin.provider.hiddenSince", { date: dateLabel(h.hiddenAt, locale) })} {h.reason ? <>{at("admin.provider.reason")} <span lang="">{h.reason}</span></> : null}</p>
                <ActionForm csrf={p.csrf} locale={locale} action={`/admin/providers/${encodeURIComponent(h.slug)}/unhide`} back="/admin/hidden" button={at("admin.unhide")} text={{ name: "reason", label: at("admin.note"), id: `unhide-p-${h.slug}` }} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.offers.length ? (
        <>
          <h2>{at("admin.hidden.offers")}</h2>
          <ul class="rows" id="hidden-offers">
            {p.offers.map((h) => (
              <li data-offer={h.id}>
                <h3><span lang="">{h.title}</span> <span class="small">· <span translate="no">{h.provider}</span></span></h3>
                <p class="small">{at("admin.offer.hiddenSince", { date: dateLabel(h.hiddenAt, locale) })} {h.reason ? <>{at("admin.provider.reason")} <span lang="">{h.reason}</span></> : null}</p>
                <ActionForm csrf={p.csrf} locale={locale} action={`/admin/offers/${encodeURIComponent(h.id)}/unhide`} back="/admin/hidden" button={at("admin.unhide")} text={{ name: "reason", label: at("admin.note"), id: `unhide-o-${h.id.replace(/[^a-z0-9-]/g, "-")}` }} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </AdminLayout>
  );
}

export function AuditPage(p: SignedAdmin & { items: AuditView[]; nextCursor: string | null }) {
  const { at, locale } = p;
  return (
    <AdminLayout {...p} title={at("admin.audit.title")} path="/admin/audit" current="audit">
      <h1>{at("admin.audit.title")}</h1>
      <p class="lead">{at("admin.audit.lead")}</p>
      {p.items.length === 0 ? <p class="panel">{at("admin.audit.empty")}</p> : <AuditTable {...p} items={p.items} />}
      {p.nextCursor ? <p><a href={withLang(`/admin/audit?cursor=${p.nextCursor}`, locale)}>{at("admin.audit.more")}</a></p> : null}
    </AdminLayout>
  );
}

function AuditTable(p: SignedAdmin & { items: AuditView[] }) {
  const { at, locale } = p;
  const target = (e: AuditView) => e.targetType === "report" ? at("admin.audit.report", { n: e.target })
    : e.targetType === "provider" ? <a href={withLang(`/admin/providers/${encodeURIComponent(e.target)}`, locale)} translate="no">{e.target}</a>
    : <code translate="no">{e.target}</code>;
  return (
    <div class="table-wrap">
      <table class="audit" id="audit">
        <thead><tr><th scope="col">{at("admin.audit.when")}</th><th scope="col">{at("admin.audit.who")}</th><th scope="col">{at("admin.audit.what")}</th><th scope="col">{at("admin.audit.target")}</th><th scope="col">{at("admin.audit.why")}</th></tr></thead>
        <tbody>
          {p.items.map((e) => (
            <tr data-action={e.action}>
              <td>{dateTimeLabel(e.at, locale)}</td>
              <td><span translate="no">{e.actor}</span> <span class="small">({at(`admin.audit.via.${e.via as "api"}`)})</span></td>
              <td>{at(`admin.audit.action.${e.action as "approve"}`)}</td>
              <td>{target(e)}</td>
              <td>{e.reason ? <span lang="">{e.reason}</span> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type { Offer };
