import type { Locale, T } from "../../i18n/index.ts";
import type { ST } from "../../i18n/signups.ts";
import type { FieldError } from "../errors.ts";
import { safeHref } from "./format.ts";
import { Layout } from "./layout.tsx";

export type FormValues = { email?: string; name?: string; username?: string; message?: string; consent?: boolean };

type Props = {
  locale: Locale; t: T; st: ST; offerId: string; offerTitle: string; providerName: string; retentionDays: number;
  state: "open" | "external" | "unavailable"; externalUrl?: string; values?: FormValues; errors?: FieldError[]; notice?: string;
};

/** /signup/{offerId}: email, name, optional username and message, consent. Never a password field. */
export function SignupFormPage(p: Props) {
  const err = (path: string) => p.errors?.find((e) => e.path === path)?.message;
  const path = `/signup/${encodeURIComponent(p.offerId)}`;
  return (
    <Layout locale={p.locale} t={p.t} title={p.st("signup.title")} path={path}>
      <h1>{p.st("signup.title")}</h1>
      <p><strong>{p.offerTitle}</strong> — {p.providerName}</p>
      {p.state === "external" ? (
        <p>{p.st("signup.external", { provider: p.providerName })} {safeHref(p.externalUrl) ? <a class="btn" href={safeHref(p.externalUrl)} rel="noopener noreferrer external">{p.st("signup.externalLink")} ↗</a> : null}</p>
      ) : p.state === "unavailable" ? (
        <p role="status">{p.st("signup.unavailable")}</p>
      ) : (
        <form method="post" action={`${path}?lang=${p.locale}`} class="signup">
          <p>{p.st("signup.intro", { provider: p.providerName })}</p>
          {p.notice ? <p role="alert" class="error">{p.notice}</p> : null}
          {p.errors?.length ? <p role="alert" class="error">{p.st("signup.errors")}</p> : null}
          <Field id="email" label={p.st("signup.email")} error={err("email")}>
            <input id="email" name="email" type="email" required autocomplete="email" maxlength={254} value={p.values?.email ?? ""} />
          </Field>
          <Field id="name" label={p.st("signup.name")} error={err("name")}>
            <input id="name" name="name" required autocomplete="name" maxlength={120} value={p.values?.name ?? ""} />
          </Field>
          <Field id="username" label={p.st("signup.username")} error={err("username")}>
            <input id="username" name="username" autocomplete="username" maxlength={64} pattern="[A-Za-z0-9._-]{1,64}" value={p.values?.username ?? ""} />
          </Field>
          <Field id="message" label={p.st("signup.message")} error={err("message")}>
            <textarea id="message" name="message" maxlength={2000} rows={3}>{p.values?.message ?? ""}</textarea>
          </Field>
          <p>
            <label><input type="checkbox" name="consent" value="yes" required checked={p.values?.consent ?? false} /> {p.st("signup.consent", { provider: p.providerName, days: p.retentionDays })}</label>
            {err("consent") ? <span class="error"> {err("consent")}</span> : null}
          </p>
          <button class="btn" type="submit">{p.st("signup.submit")}</button>
        </form>
      )}
      <style>{`form.signup label{display:block;margin:.6rem 0 .2rem}form.signup input:not([type=checkbox]),form.signup textarea{font:inherit;width:100%;max-width:28rem;padding:.5rem .7rem;border:1px solid #b9c2b8;border-radius:8px;box-sizing:border-box}.error{color:#a40000}form.signup .btn{margin-top:.8rem;width:auto}`}</style>
    </Layout>
  );
}

function Field(p: { id: string; label: string; error?: string; children: unknown }) {
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      {p.children as never}
      {p.error ? <div class="error" id={`${p.id}-error`}>{p.error}</div> : null}
    </div>
  );
}
