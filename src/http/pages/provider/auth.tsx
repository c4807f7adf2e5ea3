/** Joining and signing in: the join form, the token shown once, the sign-in page, the emailed link, refusals. */
import type { FormErrors } from "../../../domain/providers/offer-form.ts";
import { ORG_TYPES } from "../../../domain/vocabulary.ts";
import { withLang } from "../components.tsx";
import { countryName, vocab } from "../format.ts";
import { COUNTRIES } from "./countries.ts";
import { ErrorSummary, Field, FormToken, LostToken, problemText, Secret, SpaceLayout, TokenHint, type Notice, type SpaceView } from "./shell.tsx";

export type JoinValues = Partial<Record<"name" | "website" | "email" | "country" | "orgType" | "description_fr" | "description_en" | "slug", string>>;

export function JoinPage(p: SpaceView & { values?: JoinValues; errors?: FormErrors; notices?: Notice[] }) {
  const { pt, locale, t } = p;
  const val = p.values ?? {};
  const errors = p.errors ?? {};
  const err = (f: string) => (errors[f] ? problemText(pt, locale, f, errors[f]) : undefined);
  const countries = [...new Set([...COUNTRIES, ...(val.country ? [val.country] : [])])]
    .map((c) => ({ c, name: countryName(c, locale) })).sort((a, b) => a.name.localeCompare(b.name, locale));
  return (
    <SpaceLayout {...p} title={pt("join.title")} path="/provider/join" notices={p.notices}>
      <h1>{pt("join.title")}</h1>
      <p class="lead">{pt("join.lead")}</p>
      <form method="post" action={withLang("/provider/join", locale)} class="panel" novalidate>
        <FormToken csrf={p.csrf} />
        <ErrorSummary pt={pt} errors={errors} />
        <Field id="name" label={pt("join.name")} hint={pt("join.nameHint")} error={err("name")}>
          {(a) => <input {...a} name="name" required maxlength={120} autocomplete="organization" value={val.name ?? ""} />}
        </Field>
        <Field id="website" label={pt("join.website")} hint={pt("join.websiteHint")} error={err("website")}>
          {(a) => <input {...a} name="website" type="url" required maxlength={2048} autocomplete="url" placeholder="https://" value={val.website ?? ""} />}
        </Field>
        <Field id="email" label={pt("join.email")} hint={pt("join.emailHint")} error={err("email")}>
          {(a) => <input {...a} name="email" type="email" required maxlength={254} autocomplete="email" value={val.email ?? ""} />}
        </Field>
        <div class="row2">
          <Field id="country" label={pt("join.country")} error={err("country")}>
            {(a) => (
              <select {...a} name="country" required>
                <option value="">{pt("form.choose")}</option>
                {countries.map(({ c, name }) => <option value={c} selected={(val.country ?? "") === c}>{name}</option>)}
              </select>
            )}
          </Field>
          <Field id="orgType" label={pt("join.orgType")} error={err("orgType")}>
            {(a) => (
              <select {...a} name="orgType" required>
                <option value="">{pt("form.choose")}</option>
                {ORG_TYPES.map((o) => <option value={o} selected={val.orgType === o}>{vocab(t, "orgType", o)}</option>)}
              </select>
            )}
          </Field>
        </div>
        <Field id="description_fr" label={pt("join.descriptionFr")} hint={pt("join.descriptionHint")} error={err("description_fr") ?? err("description")}>
          {(a) => <textarea {...a} name="description_fr" lang="fr" maxlength={2000} rows={4}>{val.description_fr ?? ""}</textarea>}
        </Field>
        <Field id="description_en" label={pt("join.descriptionEn")} error={err("description_en")}>
          {(a) => <textarea {...a} name="description_en" lang="en" maxlength={2000} rows={4}>{val.description_en ?? ""}</textarea>}
        </Field>
        <details open={errors.slug ? true : undefined}>
          <summary>{pt("join.more")}</summary>
          <Field id="slug" label={pt("join.slug")} hint={pt("join.slugHint")} error={err("slug")}>
            {(a) => <input {...a} name="slug" maxlength={63} autocapitalize="off" spellcheck={false} value={val.slug ?? ""} />}
          </Field>
        </details>
        <p class="small">{pt("join.privacy")}</p>
        <div class="actions"><button class="btn" type="submit">{pt("join.submit")}</button></div>
      </form>
      <p>{pt("join.already")} <a href={withLang("/provider/signin", locale)}>{pt("join.signin")}</a></p>
    </SpaceLayout>
  );
}

/** Right after joining: the API token, once, what it is for, and what to do next. */
export function JoinedPage(p: SpaceView & { provider: { name: string; slug: string }; token: string; waiting: boolean }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("joined.title")} path="/provider/dashboard" current="dashboard">
      <h1>{pt("joined.title")}</h1>
      <div class="note warn" role="alert" id="token-once">
        <p><strong>{pt("token.once")}</strong></p>
        <Secret id="api-token" label={pt("token.label")} value={p.token}>
          <TokenHint {...p} />
        </Secret>
      </div>
      {p.waiting ? <div class="note warn" role="status" id="waiting-for-review"><p>{pt("joined.review")}</p></div> : null}
      <section class="panel">
        <h2>{pt("joined.next")}</h2>
        <ol class="steps-big">
          <li><a href={withLang("/provider/verification", locale)}>{pt("joined.step1")}</a><p class="small">{pt("joined.step1Hint")}</p></li>
          <li><a href={withLang("/provider/offers/new", locale)}>{pt("joined.step2")}</a><p class="small">{pt(p.waiting ? "joined.step2HintReview" : "joined.step2Hint")}</p></li>
          <li><a href={withLang("/provider/receiving", locale)}>{pt("joined.step3")}</a><p class="small">{pt("joined.step3Hint")}</p></li>
        </ol>
        <p class="actions"><a class="btn" href={withLang("/provider/dashboard", locale)}>{pt("joined.dashboard")}</a></p>
      </section>
    </SpaceLayout>
  );
}

export function SigninPage(p: SpaceView & { tokenError?: string; emailError?: string; email?: string; notices?: Notice[] }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("signin.title")} path="/provider/signin" notices={p.notices}>
      <h1>{pt("signin.title")}</h1>
      <p class="lead">{pt("signin.lead")}</p>
      {p.mail ? (
        <form method="post" action={withLang("/provider/signin/link", locale)} class="panel" novalidate>
          <h2>{pt("signin.byEmail")}</h2>
          <FormToken csrf={p.csrf} />
          <Field id="signin-email" label={pt("signin.email")} hint={pt("signin.emailHint")} error={p.emailError}>
            {(a) => <input {...a} name="email" type="email" required maxlength={254} autocomplete="email" value={p.email ?? ""} />}
          </Field>
          <div class="actions"><button class="btn" type="submit">{pt("signin.sendLink")}</button></div>
        </form>
      ) : null}
      <form method="post" action={withLang("/provider/signin", locale)} class="panel" novalidate>
        <h2>{pt("signin.byToken")}</h2>
        <FormToken csrf={p.csrf} />
        <Field id="token" label={pt("signin.token")} hint={pt("signin.tokenHint")} error={p.tokenError}>
          {(a) => <input {...a} name="token" type="password" required maxlength={200} autocomplete="current-password" spellcheck={false} />}
        </Field>
        <div class="actions"><button class="btn" type="submit">{pt("signin.submit")}</button></div>
        {p.mail ? null : <p class="small" id="no-mail">{pt("signin.noMail")} <LostToken {...p} /></p>}
      </form>
      <p>{pt("signin.new")} <a href={withLang("/provider/join", locale)}>{pt("signin.join")}</a></p>
    </SpaceLayout>
  );
}

export function LinkSentPage(p: SpaceView & { email: string }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("link.sentTitle")} path="/provider/signin">
      <h1>{pt("link.sentTitle")}</h1>
      <div class="note ok" role="status"><p>{pt("link.sent", { email: p.email })}</p></div>
      <p>{pt("link.sentHelp")}</p>
      <p><a href={withLang("/provider/signin", locale)}>{pt("link.back")}</a></p>
    </SpaceLayout>
  );
}

/** The emailed link opens this page; the button signs in (a mail scanner following the link signs nobody in). */
export function LinkConfirmPage(p: SpaceView & { token: string; linkFor?: { name: string } }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("link.title")} path="/provider/signin">
      <h1>{pt("link.title")}</h1>
      {p.linkFor ? (
        <form method="post" action={withLang("/provider/signin/link/use", locale)} class="panel">
          <FormToken csrf={p.csrf} />
          <input type="hidden" name="token" value={p.token} />
          <p>{pt("link.as")} <strong translate="no">{p.linkFor.name}</strong></p>
          <div class="actions"><button class="btn" type="submit">{pt("link.use")}</button></div>
        </form>
      ) : (
        <>
          <div class="note bad" role="alert"><p>{pt("link.invalid")}</p></div>
          <p><a class="btn" href={withLang("/provider/signin", locale)}>{pt("link.again")}</a></p>
        </>
      )}
    </SpaceLayout>
  );
}

/** A form posted without its token (another site, an expired page, cookies off) or too large: nothing was changed. */
export function RefusedPage(p: SpaceView & { why: "token" | "too-large"; back: string; signedIn: boolean }) {
  const { pt, locale } = p;
  return (
    <SpaceLayout {...p} title={pt("refused.title")} path={p.back}>
      <h1>{pt("refused.title")}</h1>
      <div class="note bad" role="alert">
        <p>{p.why === "token" ? pt("refused.token") : pt("refused.tooLarge")}</p>
      </div>
      {p.why === "token" ? <p>{pt("refused.cookies")}</p> : null}
      <p class="actions">
        <a class="btn" href={withLang(p.back, locale)}>{pt("refused.back")}</a>
        {p.signedIn ? null : <a href={withLang("/provider/signin", locale)}>{pt("join.signin")}</a>}
      </p>
    </SpaceLayout>
  );
}
