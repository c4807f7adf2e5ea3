/**
 * The provider space's frame: its menu, notices, form pieces (labelled fields with their errors beside them, the
 * hidden form token) and its stylesheet. Pages under /provider are built from these.
 */
import { Contact } from "../info.tsx";
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { FieldProblem, FormErrors } from "../../../domain/providers/offer-form.ts";
import type { Locale, T } from "../../../i18n/index.ts";
import type { PT } from "../../../i18n/provider.ts";
import { FORM_TOKEN_FIELD } from "../../session.ts";
import { withLang } from "../components.tsx";
import { numberLabel } from "../format.ts";
import { Layout } from "../layout.tsx";

/** `mail`: this directory sends email (sign-in links); `contact`: how to reach its operators (OPERATOR_CONTACT). */
export type SpaceView = { locale: Locale; t: T; pt: PT; csrf: string; mail: boolean; contact?: string };
export type Signed = SpaceView & { provider: { name: string; slug: string } };

export type NavKey = "dashboard" | "publishing" | "receiving" | "signups" | "verification" | "account";
const NAV: Array<[NavKey, string]> = [
  ["dashboard", "/provider/dashboard"], ["signups", "/provider/signups"], ["receiving", "/provider/receiving"],
  ["publishing", "/provider/publishing"], ["verification", "/provider/verification"], ["account", "/provider/account"],
];

export type Notice = { kind: "ok" | "warn" | "bad"; text: Child; id?: string };

/** The hidden field every form of the space carries (session/CSRF, http/session.ts). */
export function FormToken(p: { csrf: string }) {
  return <input type="hidden" name={FORM_TOKEN_FIELD} value={p.csrf} />;
}

/** A form that is one button posting to `action` (with the form token): "read it now", "send a test", sign out… */
export function PostButton(p: { csrf: string; locale: Locale; action: string; label: string; alt?: boolean }) {
  return (
    <form method="post" action={withLang(p.action, p.locale)} class="inline">
      <FormToken csrf={p.csrf} />
      <button class={p.alt ? "btn alt" : "btn"} type="submit">{p.label}</button>
    </form>
  );
}

/** A page of the space. Signed in: the space's menu and a sign-out button above the content. */
export function SpaceLayout(p: (SpaceView | Signed) & { title: string; path: string; current?: NavKey; notices?: Notice[]; children: Child; wide?: boolean }) {
  const signed = "provider" in p ? p.provider : undefined;
  return (
    <Layout locale={p.locale} t={p.t} title={p.title} path={p.path} head={<style>{raw(SPACE_CSS)}</style>}>
      {signed ? (
        <div class="space-bar">
          <p class="space-who"><span class="small">{p.pt("space.name")}</span> <strong translate="no">{signed.name}</strong></p>
          <nav aria-label={p.pt("space.menu")} class="space-nav">
            {NAV.map(([key, href]) => (
              <a href={withLang(href, p.locale)} aria-current={p.current === key ? "page" : undefined}>{p.pt(`nav.${key}`)}</a>
            ))}
          </nav>
          <form method="post" action={withLang("/provider/signout", p.locale)} class="space-out">
            <FormToken csrf={p.csrf} />
            <button type="submit" class="linkish">{p.pt("nav.signout")}</button>
          </form>
        </div>
      ) : null}
      <div class={p.wide ? "space wide" : "space"}>
        {(p.notices ?? []).map((n) => <div class={`note ${n.kind}`} role={n.kind === "ok" ? "status" : "alert"} id={n.id}>{n.text}</div>)}
        {p.children}
      </div>
    </Layout>
  );
}

/** What a field's problem means, in the page's language. */
export function problemText(pt: PT, locale: Locale, field: string, p: FieldProblem): string {
  switch (p.code) {
    case "required": return field === "name" ? pt("err.name") : field === "email" ? pt("err.email") : field === "token" ? pt("err.token") : pt("err.required");
    case "too-long": return pt("err.tooLong", { max: numberLabel(p.max, locale) });
    case "choose": return pt("err.choose");
    case "amount": return pt("err.amount");
    case "number": return pt("err.number");
    case "url": return pt("err.url");
    case "slug": return pt("err.slug");
    case "slug-taken": return pt("err.slugTaken");
    case "one-language": return pt("err.oneLanguage");
    case "currency": return pt("err.currency");
    case "invalid": return field === "email" ? pt("err.email") : field === "website" ? pt("err.url") : pt("err.invalid");
    case "private": return pt("err.private");
    case "nc-token": return pt("err.ncToken");
    case "email": return pt("err.email");
  }
}

/** A labelled field with its hint and its error beside it; the control is given its id, name and ARIA wiring. */
export function Field(p: { id: string; label: Child; hint?: Child; error?: string; children: (aria: { id: string; "aria-invalid"?: "true"; "aria-describedby"?: string }) => Child }) {
  const described = [p.hint ? `${p.id}-hint` : "", p.error ? `${p.id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={p.error ? "field has-error" : "field"}>
      <label for={p.id}>{p.label}</label>
      {p.hint ? <p class="hint" id={`${p.id}-hint`}>{p.hint}</p> : null}
      {p.error ? <p class="error" id={`${p.id}-error`}>{p.error}</p> : null}
      {p.children({ id: p.id, ...(p.error ? { "aria-invalid": "true" as const } : {}), ...(described ? { "aria-describedby": described } : {}) })}
    </div>
  );
}

/** A group of checkboxes or radio buttons, with its legend and error. */
export function Choices(p: { name: string; legend: Child; hint?: Child; error?: string; type: "checkbox" | "radio"; options: Array<{ value: string; label: Child; hint?: Child }>; checked: string[] }) {
  const described = [p.hint ? `${p.name}-hint` : "", p.error ? `${p.name}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset class={p.error ? "choices has-error" : "choices"} aria-describedby={described}>
      <legend>{p.legend}</legend>
      {p.hint ? <p class="hint" id={`${p.name}-hint`}>{p.hint}</p> : null}
      {p.error ? <p class="error" id={`${p.name}-error`}>{p.error}</p> : null}
      <div class={p.options.some((o) => o.hint) ? "options stack" : "options"}>
        {p.options.map((o, i) => (
          <label class="option">
            <input type={p.type} name={p.name} value={o.value} id={`${p.name}-${i}`} checked={p.checked.includes(o.value)} />
            <span>{o.label}{o.hint ? <span class="small block">{o.hint}</span> : null}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Errors of a form: the one-line summary at its top (each field also says its own). */
export function ErrorSummary(p: { pt: PT; errors: FormErrors }) {
  const n = Object.keys(p.errors).length;
  return n ? <p class="note bad" role="alert">{n === 1 ? p.pt("err.summaryOne") : p.pt("err.summaryMany", { n })}</p> : null;
}

/** A secret shown once (API token, webhook secret): selectable, with what it is for. */
export function Secret(p: { id: string; label: Child; value: string; children?: Child }) {
  return (
    <div class="secret">
      <label for={p.id}>{p.label}</label>
      <textarea id={p.id} readonly rows={2} spellcheck={false} autocomplete="off">{p.value}</textarea>
      {p.children ?? null}
    </div>
  );
}

// The space's styles: forms, the menu, notices, lists. A constant (no provider text), added to the page's head.
export const SPACE_CSS = `
.space-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.6rem .9rem;margin:.2rem 0 1rem}
.space-who{margin:0;display:flex;flex-direction:column;line-height:1.25}.space-who strong{font-size:1.05rem}
.space-nav{display:flex;flex-wrap:wrap;gap:.2rem .3rem;flex:1 1 20rem}
.space-nav a{padding:.35rem .6rem;border-radius:8px;text-decoration:none;color:var(--brand)}
.space-nav a:hover{background:var(--accent)}.space-nav a[aria-current=page]{background:var(--brand2);color:#fff}
.space-out{margin:0}.linkish{font:inherit;background:none;border:0;color:var(--brand2);text-decoration:underline;cursor:pointer;padding:.35rem .2rem}
.space{max-width:52rem}.space.wide{max-width:none}
.space form.panel,.space section.panel{margin:0 0 1.2rem}
.space .field{display:grid;gap:.3rem;margin:0 0 1rem;max-width:36rem;align-content:start}.space .field>label{font-weight:600}
.space input:not([type=checkbox]):not([type=radio]):not([type=hidden]),.space select,.space textarea{font:inherit;color:inherit;width:100%;border:1px solid #8c968d;border-radius:8px;padding:.55rem .7rem;background:#fff;min-width:0}
.space textarea{min-height:6rem}
.space [aria-invalid=true]{border:2px solid var(--bad)!important}
.space .hint{margin:0;color:var(--muted);font-size:.9rem}
.space fieldset{border:1px solid var(--line);border-radius:10px;padding:.6rem .9rem .8rem;margin:0 0 1rem;min-width:0}
.space legend{font-weight:600;padding:0 .3rem}
.space fieldset.choices{border:0;padding:0;margin:0 0 1rem}.space fieldset.choices legend{padding:0;margin-bottom:.3rem}
.space .options{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}.space .options.stack{flex-direction:column;gap:.55rem}.space .option{display:flex;gap:.45rem;align-items:flex-start}
.space .option input{margin-top:.3rem;width:1.1rem;height:1.1rem;flex:none}
.space .block{display:block}
.space .panel>p.small{margin-bottom:.7rem}.space .panel>dl.facts{margin-bottom:.4rem}
.space .row2{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:0 1rem}
.space .row2 .field{max-width:none}
.space .actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin-top:.6rem}
.space .inline{display:inline}
.note{border-radius:10px;padding:.7rem .9rem;margin:0 0 1rem;border:1px solid}
.note.ok{background:var(--accent);border-color:#cfe3d6;color:#1d3d30}.note.warn{background:var(--warnbg);border-color:#f0d48a;color:#5a3b00}
.note.bad{background:var(--badbg);border-color:#f3c4c4;color:#7a1f1f}
.note p{margin:.2rem 0}.note>:first-child{margin-top:0}.note>:last-child{margin-bottom:0}
.secret{display:grid;gap:.3rem;margin:.6rem 0}.secret label{font-weight:600}
.secret textarea{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace!important;font-size:.95rem!important;background:#fffbea!important;border:2px dashed #c9a227!important;min-height:0!important;resize:none;word-break:break-all;field-sizing:content}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.8rem;margin:0 0 1.2rem;padding:0;list-style:none}
.stats li{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.7rem .9rem}
.stats strong{display:block;font-size:1.6rem;line-height:1.2}
.todo{list-style:none;margin:0;padding:0;display:grid;gap:.6rem}
.todo li{background:var(--card);border:1px solid var(--line);border-left:5px solid #c9a227;border-radius:10px;padding:.6rem .9rem}
.todo li.bad{border-left-color:var(--bad)}.todo li.info{border-left-color:var(--brand2)}
.todo p{margin:.2rem 0}
.rows{list-style:none;margin:0;padding:0;display:grid;gap:.7rem}
.rows>li{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.8rem 1rem;display:grid;gap:.4rem}
.rows h3{font-size:1.05rem}.rows .meta{gap:.3rem 1rem}
.rows dl{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.2rem .8rem;margin:0;font-size:.95rem}.rows dt{color:var(--muted)}.rows dd{margin:0;overflow-wrap:anywhere}
@media (max-width:30rem){.rows dl{grid-template-columns:1fr}.rows dd{margin-bottom:.3rem}}
.state{font-weight:600}
.preview{list-style:none;margin:.4rem 0 1.2rem;padding:0}
.report{margin:.4rem 0}.report li{margin:.2rem 0;overflow-wrap:anywhere}
.space code,.space .mono{overflow-wrap:anywhere}
.steps-big{counter-reset:step;list-style:none;padding:0;margin:0;display:grid;gap:.8rem}
.steps-big>li{counter-increment:step;position:relative;padding-left:2.6rem}
.steps-big>li>p:first-child{margin-top:.2rem}.steps-big>li::before{content:counter(step);position:absolute;left:0;top:0;width:1.9rem;height:1.9rem;border-radius:50%;background:var(--brand2);color:#fff;display:grid;place-items:center;font-weight:700}
.danger{border-color:#f3c4c4!important}.btn.bad{background:var(--bad)}.btn.bad:hover{background:#7a1f1f}
.btn.sm{padding:.4rem .8rem;font-size:.92rem}
details.attempts summary{cursor:pointer;color:var(--brand2)}
.tech-error p{margin:.2rem 0}.tech-error details{margin:.2rem 0 .4rem}.tech-error summary{cursor:pointer}.tech-error code{display:block;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em;margin-top:.2rem}
.table-wrap{overflow-x:auto}
`;

/** What the API token is for, and what to do when it is lost: a link by email, or the operators when mail is off. */
export function TokenHint(p: SpaceView) {
  return <p class="hint">{p.pt(p.mail ? "token.what" : "token.whatNoMail")}{p.mail ? null : <> <LostToken {...p} /></>}</p>;
}

/** "Ask the people who run the directory", with how to reach them when the operator said. */
export function LostToken(p: SpaceView) {
  return p.contact ? <>{p.pt("token.lostContact")} <Contact contact={p.contact} />.</> : <>{p.pt("token.lostAsk")}</>;
}
