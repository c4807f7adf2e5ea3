/** /provider/publishing: publish by a file the directory reads (JSON offer document or StatoolInfos), its last report. */
import type { FormErrors } from "../../../domain/providers/offer-form.ts";
import type { SourceView } from "../../../domain/sources/manage.ts";
import { withLang } from "../components.tsx";
import { dateTimeLabel, numberLabel } from "../format.ts";
import { Choices, ErrorSummary, Field, FormToken, PostButton, problemText, SpaceLayout, type Notice, type Signed } from "./shell.tsx";
import { IssueLine, TechnicalError } from "./technical.tsx";

export function PublishingPage(p: Signed & { source?: SourceView; values?: { url?: string; format?: string }; errors?: FormErrors; notices?: Notice[]; intervalHours: number }) {
  const { pt, locale } = p;
  const s = p.source;
  const errors = p.errors ?? {};
  const err = (f: string) => (errors[f] ? problemText(pt, locale, f, errors[f]) : undefined);
  const r = s?.lastPull;
  return (
    <SpaceLayout {...p} title={pt("pub.title")} path="/provider/publishing" current="publishing" notices={p.notices}>
      <h1>{pt("pub.title")}</h1>
      <p class="lead">{pt("pub.lead", { hours: p.intervalHours })}</p>

      {s ? (
        <section class="panel" aria-labelledby="current-title" id="current">
          <h2 id="current-title">{pt("pub.current")}</h2>
          <dl class="facts">
            <dt>{pt("pub.url")}</dt><dd><code translate="no">{s.url}</code></dd>
            <dt>{pt("pub.format")}</dt><dd>{pt(`pub.format.${s.format}`)}</dd>
            <dt>{pt("pub.state")}</dt><dd><span class={`badge ${s.state === "healthy" ? "ok" : s.state === "unhealthy" || s.state === "degraded" ? "warn" : "bad"}`}>{pt(`pub.state.${s.state}`)}</span> <span class="small">{pt(`pub.state.${s.state}Help`)}</span></dd>
            <dt>{pt("pub.lastPull")}</dt><dd>{s.lastPullAt ? dateTimeLabel(s.lastPullAt, locale) : pt("pub.never")}</dd>
            <dt>{pt("pub.nextPull")}</dt><dd>{dateTimeLabel(s.nextPullAt, locale)}</dd>
          </dl>
          <div class="actions">
            <PostButton csrf={p.csrf} locale={locale} action="/provider/publishing/pull" label={pt("pub.pullNow")} />
          </div>
        </section>
      ) : null}

      {r ? (
        <section class="panel" aria-labelledby="report-title" id="report">
          <h2 id="report-title">{pt("pub.report")}</h2>
          <p><span class="state" data-status={r.status}>{pt(`pub.status.${r.status}`)}</span> · {dateTimeLabel(r.at, locale)}</p>
          {r.error ? <div class="note bad"><TechnicalError pt={pt} raw={r.error} lead={pt("pub.error")} /></div> : null}
          {r.status === "updated" || r.status === "degraded" ? (
            <p id="report-counts">{pt("pub.counts", { created: numberLabel(r.created, locale), updated: numberLabel(r.updated, locale), unchanged: numberLabel(r.unchanged, locale), deleted: numberLabel(r.deleted, locale) })}</p>
          ) : null}
          {r.failures?.length ? (
            <>
              <h3>{pt("pub.failures", { n: r.failures.length })}</h3>
              <ul class="report" id="report-failures">{r.failures.map((f) => (
                <li>
                  <code translate="no">{f.sub}</code> — <strong>{pt("pub.line", { line: f.line })}</strong>{f.url ? <> · <code translate="no">{f.url}</code></> : null}
                  {" · "}{f.status ? pt("pub.failure.status", { status: f.status }) : <span lang="en">{f.error}</span>}
                  {" · "}{pt(f.offer === "kept" ? "pub.failure.kept" : "pub.failure.notCreated")}
                </li>
              ))}</ul>
            </>
          ) : null}
          {r.skipped.length ? (
            <>
              <h3>{pt("pub.skipped", { n: r.skipped.length })}</h3>
              <ul class="report" id="report-skipped">{r.skipped.map((x) => <li><code translate="no">{x.slug}</code> — <span lang="en">{x.reason}</span></li>)}</ul>
            </>
          ) : null}
          {r.issues.length ? (
            <>
              <h3>{pt("pub.issues", { n: r.issues.length })}</h3>
              <p class="small">{pt("pub.issuesHelp")}</p>
              <div id="report-issues">
                {byFile(r.issues).map(([file, list]) => (
                  <div class="gap">
                    <p class="small">{pt("pub.inFile")} <code translate="no">{file}</code></p>
                    <ul class="report">
                      {list.map((i) => <li>{i.line ? <strong>{pt("pub.line", { line: i.line })}</strong> : null}{i.line ? " — " : ""}<IssueLine pt={pt} message={i.message} /></li>)}
                    </ul>
                  </div>
                ))}
              </div>
            </>
          ) : (r.status === "updated" || r.status === "not-modified") && !r.failures?.length ? <p class="small">{pt("pub.noIssues")}</p> : null}
        </section>
      ) : null}

      <form method="post" action={withLang("/provider/publishing", locale)} class="panel" novalidate>
        <h2>{s ? pt("pub.change") : pt("pub.set")}</h2>
        <FormToken csrf={p.csrf} />
        <ErrorSummary pt={pt} errors={errors} />
        <Field id="url" label={pt("pub.url")} hint={pt("pub.urlHint")} error={err("url")}>
          {(a) => <input {...a} name="url" type="url" required maxlength={2048} placeholder="https://" value={p.values?.url ?? s?.url ?? ""} />}
        </Field>
        <Choices type="radio" name="format" legend={pt("pub.format")} error={err("format")} checked={[p.values?.format ?? s?.format ?? "json"]}
          options={[
            { value: "json", label: pt("pub.format.json"), hint: <>{pt("pub.jsonHint")} <a href={withLang("/docs#schema-OfferDocument", locale)}>{pt("pub.jsonSchema")}</a></> },
            { value: "statoolinfos", label: pt("pub.format.statoolinfos"), hint: pt("pub.statoolinfosHint") },
          ]} />
        <div class="actions"><button class="btn" type="submit">{pt("pub.save")}</button></div>
      </form>

      {s ? (
        <form method="post" action={withLang("/provider/publishing/remove", locale)} class="panel danger">
          <h2>{pt("pub.removeTitle")}</h2>
          <FormToken csrf={p.csrf} />
          <p class="small">{pt("pub.removeHelp")}</p>
          <div class="actions"><button class="btn bad" type="submit">{pt("pub.remove")}</button></div>
        </form>
      ) : null}
    </SpaceLayout>
  );
}

/** Issues grouped by file, in the order files first appear. */
function byFile<I extends { file: string }>(issues: I[]): Array<[string, I[]]> {
  const out = new Map<string, I[]>();
  for (const i of issues) out.set(i.file, [...(out.get(i.file) ?? []), i]);
  return [...out];
}
