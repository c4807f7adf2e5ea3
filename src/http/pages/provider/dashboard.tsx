/** /provider/dashboard: the offers with their state, this month's numbers, and what needs attention. */
import type { Attention, Dashboard, DashboardOffer, OfferState } from "../../../domain/providers/space.ts";
import { offerHref, withLang } from "../components.tsx";
import { dateLabel, localized, numberLabel, priceLabel } from "../format.ts";
import { plural } from "../../../i18n/provider.ts";
import { FormToken, SpaceLayout, type Notice, type Signed } from "./shell.tsx";
import { TechnicalError } from "./technical.tsx";

const STATE_CLASS: Record<OfferState, string> = { listed: "ok", stale: "warn", full: "bad", closed: "bad", waiting: "warn", moderated: "bad" };

export function StateBadge(p: { pt: Signed["pt"]; state: OfferState | "hidden" }) {
  return <span class={`badge ${p.state === "hidden" ? "bad" : STATE_CLASS[p.state]}`} data-state={p.state}>{p.pt(`state.${p.state}`)}</span>;
}

export function DashboardPage(p: Signed & { dash: Dashboard; notices?: Notice[] }) {
  const { pt, locale, dash } = p;
  const monthName = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${dash.month}-15T00:00:00Z`));
  return (
    <SpaceLayout {...p} title={pt("dash.title")} path="/provider/dashboard" current="dashboard" notices={p.notices}>
      <h1>{pt("dash.title")}</h1>
      <ul class="stats" aria-label={pt("dash.numbers", { month: monthName })}>
        <li><strong id="stat-views">{numberLabel(dash.views, locale)}</strong>{pt("dash.views", { month: monthName })}</li>
        <li><strong id="stat-signups">{numberLabel(dash.signups, locale)}</strong>{pt("dash.signups", { month: monthName })}</li>
        <li><strong id="stat-offers">{numberLabel(dash.offers.length, locale)}</strong>{pt("dash.offers")}</li>
      </ul>

      <section aria-labelledby="todo-title">
        <h2 id="todo-title">{pt("dash.todo")}</h2>
        {dash.attention.length === 0 ? <p class="note ok">{pt("dash.allGood")}</p> : (
          <ul class="todo" id="attention">{dash.attention.map((a) => <AttentionItem {...p} item={a} />)}</ul>
        )}
      </section>

      <section aria-labelledby="offers-title">
        <h2 id="offers-title">{pt("dash.yourOffers")}</h2>
        <p class="actions"><a class="btn" href={withLang("/provider/offers/new", locale)}>{pt("dash.addOffer")}</a>
          <a href={withLang("/provider/publishing", locale)}>{pt("dash.orFile")}</a></p>
        {dash.offers.length === 0 ? <p class="panel">{pt("dash.noOffers")}</p> : (
          <ul class="rows" id="offers">{dash.offers.map((o) => <OfferRow {...p} o={o} />)}</ul>
        )}
        {dash.hidden.length ? (
          <>
            <h3 class="gap">{pt("dash.hiddenTitle")}</h3>
            <p class="small">{pt("dash.hiddenHelp")}</p>
            <ul class="rows" id="hidden-offers">
              {dash.hidden.map((h) => (
                <li><p><code translate="no">{h.slug}</code> <StateBadge pt={pt} state="hidden" /></p><p class="small" lang="en">{h.reason}</p></li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </SpaceLayout>
  );
}

function OfferRow(p: Signed & { o: DashboardOffer }) {
  const { pt, locale, t, o } = p;
  const title = localized(o.offer.title, locale);
  return (
    <li data-offer={o.slug}>
      <h3><a href={withLang(`/provider/offers/${encodeURIComponent(o.slug)}`, locale)} lang={title.lang === locale ? undefined : title.lang}>{title.text}</a></h3>
      <div class="meta">
        <StateBadge pt={pt} state={o.state} />
        <span class="price">{priceLabel(o.offer.price, locale, t)}</span>
        <span>{o.views === 1 ? pt("dash.offerViewsOne") : pt("dash.offerViews", { n: numberLabel(o.views, locale) })}</span>
        <span>{o.signups === 1 ? pt("dash.offerSignupsOne") : pt("dash.offerSignups", { n: numberLabel(o.signups, locale) })}</span>
        {o.offer.source === "crawled" ? <span>{pt("dash.fromFile")}</span> : null}
      </div>
      <p class="small">{o.state === "listed" && !o.offer.acceptsSignups && o.offer.signup.mode !== "external" ? pt("state.listedWaitingHelp") : pt(`state.${o.state}Help`)}{o.staleOn ? ` ${pt("dash.staleOn", { date: dateLabel(o.staleOn, locale) })}` : ""}</p>
      {o.offer.listing?.reason ? <p class="small">{pt("todo.providerHiddenReason")} <span lang="">{o.offer.listing.reason}</span></p> : null}
      <p class="small"><a href={withLang(`/provider/offers/${encodeURIComponent(o.slug)}`, locale)}>{pt("dash.edit")}</a>{o.offer.listing ? null : <> · <a href={offerHref(o.offer.id, locale)}>{pt("dash.public")}</a></>}</p>
    </li>
  );
}

function AttentionItem(p: Signed & { item: Attention }) {
  const { pt, locale, item: a } = p;
  const link = (href: string, text: string) => <a href={withLang(href, locale)}>{text}</a>;
  const titles = (offers: Array<{ title: Record<string, string> }>) => offers.map((o) => localized(o.title, locale).text).join(", ");
  switch (a.kind) {
    case "waiting-for-review":
      return <li class="info" data-kind={a.kind}><p><strong>{pt("todo.review")}</strong></p><p class="small">{pt("todo.reviewWhy")}</p></li>;
    case "provider-hidden":
      return (
        <li class="bad" data-kind={a.kind}>
          <p><strong>{pt("todo.providerHidden")}</strong></p>
          {a.reason ? <p class="small">{pt("todo.providerHiddenReason")} <span lang="">{a.reason}</span></p> : null}
          <p>{link("/about", pt("todo.contactOperator"))}</p>
        </li>
      );
    case "webhook-disabled":
      return <li class="bad" data-kind={a.kind}><p><strong>{pt("todo.webhookDisabled", { date: dateLabel(a.at, locale) })}</strong></p>{a.reason ? <TechnicalError pt={pt} raw={a.reason} /> : null}<p>{link("/provider/receiving", pt("todo.webhookFix"))}</p></li>;
    case "deliveries-failing":
      return <li class="bad" data-kind={a.kind}><p><strong>{a.dead ? plural(pt, a.dead, "todo.deliveriesDeadOne", "todo.deliveriesDead") : plural(pt, a.retrying, "todo.deliveriesRetryingOne", "todo.deliveriesRetrying")}</strong></p>{a.lastError ? <TechnicalError pt={pt} raw={a.lastError} lead={pt("todo.lastError")} /> : null}<p>{link("/provider/receiving#deliveries", pt("todo.deliveriesFix"))}</p></li>;
    case "no-destination":
      return <li class="bad" data-kind={a.kind}><p><strong>{pt(a.mode === "webhook" ? "todo.noWebhook" : "todo.noNextcloud")}</strong></p><p class="small">{titles(a.offers)}</p><p>{link("/provider/receiving", pt("todo.destinationFix"))}</p></li>;
    case "source-failing":
      return <li class="bad" data-kind={a.kind}><p><strong>{pt("todo.sourceFailing")}</strong></p>{a.source.lastPull?.error ? <TechnicalError pt={pt} raw={a.source.lastPull.error} /> : null}<p>{link("/provider/publishing", pt("todo.sourceFix"))}</p></li>;
    case "source-problems":
      return <li data-kind={a.kind}><p><strong>{plural(pt, a.count, "todo.sourceProblemsOne", "todo.sourceProblems")}</strong></p><p>{link("/provider/publishing#report", pt("todo.sourceProblemsFix"))}</p></li>;
    case "stale-soon":
    case "stale":
      return (
        <li data-kind={a.kind}>
          <p><strong>{a.kind === "stale" ? plural(pt, a.offers.length, "todo.staleOne", "todo.stale") : plural(pt, a.offers.length, "todo.staleSoonOne", "todo.staleSoon")}</strong></p>
          <p class="small">{titles(a.offers.map((o) => o.offer))}</p>
          {a.offers.some((o) => o.offer.source === "local") ? (
            <form method="post" action={withLang("/provider/offers/confirm", locale)}>
              <FormToken csrf={p.csrf} />
              <button class="btn sm" type="submit">{pt("todo.confirm")}</button>
            </form>
          ) : <p>{link("/provider/publishing", pt("todo.sourceFix"))}</p>}
        </li>
      );
    case "not-verified":
      return <li class="info" data-kind={a.kind}><p><strong>{pt("todo.verify")}</strong></p><p class="small">{pt("todo.verifyWhy")}</p><p>{link("/provider/verification", pt("todo.verifyFix"))}</p></li>;
    case "signups-waiting":
      return <li class="info" data-kind={a.kind}><p><strong>{plural(pt, a.count, "todo.signupsOne", "todo.signups")}</strong></p><p>{link("/provider/signups", pt("todo.signupsFix"))}</p></li>;
  }
}
