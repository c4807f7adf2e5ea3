/** /provider/verification (domain proof step by step) and /provider/account (email, token, sessions, leaving). */
import type { ProofFailure } from "../../../domain/providers/verification.ts";
import { withLang } from "../components.tsx";
import { dateLabel, durationLabel } from "../format.ts";
import { Field, FormToken, PostButton, Secret, SpaceLayout, TokenHint, type Notice, type Signed } from "./shell.tsx";
import { TechnicalError } from "./technical.tsx";

export function VerificationPage(p: Signed & { verified: boolean; verifiedAt: string | null; url: string; token: string | null; failure?: ProofFailure; justVerified?: boolean; notices?: Notice[] }) {
  const { pt, locale } = p;
  const why = p.failure;
  return (
    <SpaceLayout {...p} title={pt("verify.title")} path="/provider/verification" current="verification" notices={p.notices}>
      <h1>{pt("verify.title")}</h1>
      <p class="lead">{pt("verify.lead")}</p>
      {p.justVerified ? <div class="note ok" role="status" id="verify-result"><p><strong>{pt("verify.ok")}</strong></p></div> : null}
      {why ? (
        <div class="note bad" role="alert" id="verify-result">
          <p><strong>{pt("verify.failed")}</strong></p>
          <p>{why.kind === "status" ? pt(why.status === 404 ? "verify.why404" : "verify.whyStatus", { status: why.status })
            : why.kind === "missing" ? pt("verify.whyMissing") : why.kind === "fetch" ? pt("verify.whyFetch") : why.kind === "not-https" ? pt("verify.whyHttps")
            : why.kind === "rate-limited" ? pt("verify.rate", { duration: durationLabel(why.retryAfterSec, locale) }) : pt("verify.whyNoToken")}</p>
          {why.kind === "fetch" ? <TechnicalError pt={pt} raw={why.message} /> : null}
        </div>
      ) : null}
      <p id="verify-state">{p.verified
        ? <><span class="badge ok">✓ {pt("verify.verified")}</span> {p.verifiedAt ? pt("verify.since", { date: dateLabel(p.verifiedAt, locale) }) : ""}</>
        : <span class="badge warn">{pt("verify.notVerified")}</span>}</p>
      <section class="panel" aria-labelledby="steps-title">
        <h2 id="steps-title">{pt("verify.steps")}</h2>
        <ol class="steps-big">
          <li>
            <p>{pt("verify.step1")}</p>
            <p><code translate="no" id="verify-url">{p.url}</code></p>
            <p class="small">{pt("verify.step1Hint")}</p>
          </li>
          <li>
            <p>{pt("verify.step2")}</p>
            {p.token ? <Secret id="verify-token" label={pt("verify.line")} value={p.token} /> : <p>{pt("verify.whyNoToken")}</p>}
            <p class="small">{pt("verify.step2Hint")}</p>
          </li>
          <li>
            <p>{pt("verify.step3")}</p>
            <form method="post" action={withLang("/provider/verification/check", locale)}>
              <FormToken csrf={p.csrf} />
              <button class="btn" type="submit">{pt("verify.check")}</button>
            </form>
          </li>
        </ol>
        <p class="small gap">{pt("verify.recheck")}</p>
      </section>
    </SpaceLayout>
  );
}

type AccountProps = Signed & {
  email: string | null; sessions: number; newToken?: string; emailError?: string; emailValue?: string; notices?: Notice[]; createdAt: string;
};

export function AccountPage(p: AccountProps) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("account.title")} path="/provider/account" current="account" notices={p.notices}>
      <h1>{pt("account.title")}</h1>
      <p class="lead">{pt("account.lead", { date: dateLabel(p.createdAt, locale) })} <a href={withLang(`/providers/${encodeURIComponent(p.provider.slug)}`, locale)}>{pt("account.publicPage")}</a></p>
      {p.newToken ? (
        <div class="note warn" role="alert" id="token-once">
          <p><strong>{pt("token.once")}</strong></p>
          <Secret id="api-token" label={pt("token.label")} value={p.newToken}><TokenHint {...p} /></Secret>
        </div>
      ) : null}

      <form method="post" action={withLang("/provider/account/email", locale)} class="panel" novalidate>
        <h2>{pt("account.email")}</h2>
        <FormToken csrf={p.csrf} />
        <Field id="email" label={pt("join.email")} hint={pt("account.emailHint")} error={p.emailError}>
          {(a) => <input {...a} name="email" type="email" required maxlength={254} autocomplete="email" value={p.emailValue ?? p.email ?? ""} />}
        </Field>
        <div class="actions"><button class="btn" type="submit">{pt("account.emailSave")}</button></div>
      </form>

      <section class="panel" aria-labelledby="token-title">
        <h2 id="token-title">{pt("account.token")}</h2>
        <p class="small">{pt("account.tokenHelp")}</p>
        <form method="post" action={withLang("/provider/account/token", locale)}>
          <FormToken csrf={p.csrf} />
          <button class="btn alt" type="submit">{pt("account.tokenRotate")}</button>
        </form>
      </section>

      <section class="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{pt("account.sessions")}</h2>
        <p id="sessions-count">{p.sessions === 1 ? pt("account.sessionsOne") : pt("account.sessionsMany", { n: p.sessions })}</p>
        <div class="actions">
          <PostButton csrf={p.csrf} locale={locale} action="/provider/signout" label={pt("nav.signout")} alt />
          <PostButton csrf={p.csrf} locale={locale} action="/provider/signout-everywhere" label={pt("account.everywhere")} alt />
        </div>
      </section>

      <section class="panel danger" aria-labelledby="leave-title">
        <h2 id="leave-title">{pt("account.leave")}</h2>
        <p class="small">{pt("account.leaveHelp")}</p>
        <p><a class="btn bad" href={withLang("/provider/account/delete", locale)}>{pt("account.leaveButton")}</a></p>
      </section>
    </SpaceLayout>
  );
}

export function DeletePage(p: Signed & { offers: number; error?: string }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("delete.title")} path="/provider/account/delete" current="account">
      <p class="crumbs"><a href={withLang("/provider/account", locale)}>← {pt("nav.account")}</a></p>
      <h1>{pt("delete.title")}</h1>
      <div class="note warn">
        <p>{pt("delete.what")}</p>
        <ul>
          <li>{p.offers === 0 ? pt("delete.offersNone") : p.offers === 1 ? pt("delete.offersOne") : pt("delete.offers", { n: p.offers })}</li>
          <li>{pt("delete.signups")}</li>
          <li>{pt("delete.federation")}</li>
          <li>{pt("delete.access")}</li>
        </ul>
        <p><strong>{pt("delete.final")}</strong></p>
      </div>
      <form method="post" action={withLang("/provider/account/delete", locale)} class="panel danger" novalidate>
        <FormToken csrf={p.csrf} />
        <Field id="confirm" label={<>{pt("delete.type")} <code translate="no">{p.provider.slug}</code></>} error={p.error}>
          {(a) => <input {...a} name="confirm" required maxlength={70} autocomplete="off" autocapitalize="off" spellcheck={false} />}
        </Field>
        <div class="actions"><button class="btn bad" type="submit">{pt("delete.button")}</button>
          <a href={withLang("/provider/account", locale)}>{pt("delete.cancel")}</a></div>
      </form>
    </SpaceLayout>
  );
}

/** After leaving: signed out, nothing left to manage. */
export function DeletedPage(p: Omit<Signed, "provider"> & { name: string }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("deleted.title")} path="/provider/signin">
      <h1>{pt("deleted.title")}</h1>
      <div class="note ok" role="status"><p>{pt("deleted.text", { name: p.name })}</p></div>
      <p><a href={withLang("/", locale)}>{pt("deleted.home")}</a></p>
    </SpaceLayout>
  );
}

