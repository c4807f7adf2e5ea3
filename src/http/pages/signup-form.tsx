/** /signup/{offerId}: email, name, optional username and message, consent. Never a password field. */
import type { Offer } from "../../domain/schemas.ts";
import type { NextStep } from "../../domain/signups/views.ts";
import type { Locale, T } from "../../i18n/index.ts";
import type { ST } from "../../i18n/signups.ts";
import { mark, Name, NextStepAction, offerHref, rich } from "./components.tsx";
import { localized } from "./format.ts";
import { Layout } from "./layout.tsx";

export type FormValues = { email?: string; name?: string; username?: string; message?: string; consent?: boolean };
/** Messages already in the page's language, by field. */
export type FormErrors = Partial<Record<"email" | "name" | "username" | "message" | "consent", string>>;

type Props = {
  locale: Locale; t: T; st: ST; offer: Offer; step: NextStep; alternatives: Offer[]; retentionDays: number; mail: boolean;
  values?: FormValues; errors?: FormErrors; notice?: string;
};

const hostOf = (url: string) => { try { return new URL(url).host; } catch { return url; } };

export function SignupFormPage(p: Props) {
  const path = `/signup/${encodeURIComponent(p.offer.id)}`;
  const title = localized(p.offer.title, p.locale);
  const provider = p.offer.provider.name;
  const errors = p.errors ?? {};
  const invalid = Object.keys(errors).length > 0;
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("signup.title")} path={path}>
      <p class="crumbs"><a href={offerHref(p.offer.id, p.locale)}>← <span lang={title.lang === p.locale ? undefined : title.lang}>{title.text}</span></a></p>
      <h1>{p.st("signup.title")}</h1>
      <p class="lead"><strong lang={title.lang === p.locale ? undefined : title.lang}>{title.text}</strong> — <Name>{provider}</Name></p>
      {p.step.kind !== "signup" ? (
        <section class="panel cta" aria-labelledby="unavailable-title">
          <h2 id="unavailable-title">{p.st("signup.unavailableTitle")}</h2>
          <NextStepAction offer={p.offer} step={p.step} alternatives={p.alternatives} locale={p.locale} t={p.t} />
        </section>
      ) : (
        <form method="post" action={`${path}?lang=${p.locale}`} class="signup panel" novalidate>
          <p>{rich(p.st("signup.intro", mark("provider")), { provider: <Name>{provider}</Name> })}</p>
          {p.offer.source === "federated" && p.offer.origin ? (
            <p class="small" id="via">{rich(p.st("signup.viaDirectory", mark("directory", "provider")), { directory: <Name>{hostOf(p.offer.origin.directory)}</Name>, provider: <Name>{provider}</Name> })}</p>
          ) : null}
          {p.notice ? <p role="alert" class="notice">{p.notice}</p> : null}
          {invalid ? <p role="alert" class="notice">{p.st("signup.errors")}</p> : null}
          <Field id="email" label={p.st("signup.email")} error={errors.email}>
            <input id="email" name="email" type="email" required autocomplete="email" maxlength={254} value={p.values?.email ?? ""}
              aria-invalid={errors.email ? "true" : undefined} aria-describedby={errors.email ? "email-error" : undefined} />
          </Field>
          <Field id="name" label={p.st("signup.name")} error={errors.name}>
            <input id="name" name="name" required autocomplete="name" maxlength={120} value={p.values?.name ?? ""}
              aria-invalid={errors.name ? "true" : undefined} aria-describedby={errors.name ? "name-error" : undefined} />
          </Field>
          <Field id="username" label={p.st("signup.username")} error={errors.username}>
            <input id="username" name="username" autocomplete="username" maxlength={64} value={p.values?.username ?? ""}
              aria-invalid={errors.username ? "true" : undefined} aria-describedby={errors.username ? "username-error" : undefined} />
          </Field>
          <Field id="message" label={p.st("signup.message")} error={errors.message}>
            <textarea id="message" name="message" maxlength={2000} rows={3} aria-invalid={errors.message ? "true" : undefined}
              aria-describedby={errors.message ? "message-error" : undefined}>{p.values?.message ?? ""}</textarea>
          </Field>
          <div class="consent">
            <label><input type="checkbox" name="consent" value="yes" required checked={p.values?.consent ?? false}
              aria-invalid={errors.consent ? "true" : undefined} aria-describedby={errors.consent ? "consent-error" : undefined} /> <span>{rich(p.st("signup.consent", { ...mark("provider"), days: p.retentionDays }), { provider: <Name>{provider}</Name> })} <a href={`/privacy?lang=${p.locale}`}>{p.st("status.privacyLink")}</a></span></label>
            {errors.consent ? <p class="error" id="consent-error">{errors.consent}</p> : null}
          </div>
          <p class="small">{p.st(p.mail ? "signup.mailOn" : "signup.mailOff")}</p>
          <button class="btn" type="submit">{p.st("signup.submit")}</button>
        </form>
      )}
    </Layout>
  );
}

function Field(p: { id: string; label: string; error?: string; children: unknown }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      {p.children as never}
      {p.error ? <p class="error" id={`${p.id}-error`}>{p.error}</p> : null}
    </div>
  );
}
