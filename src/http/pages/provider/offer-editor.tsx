/** /provider/offers/{slug} and /provider/offers/new: every field of an offer, errors beside each, a preview card. */
import { EDITOR_LANGUAGES, MAX_INCLUDES, type FormErrors, type FormFields } from "../../../domain/providers/offer-form.ts";
import type { Offer } from "../../../domain/schemas.ts";
import { AUDIENCES, CAPACITIES, PRICE_MODELS, PRICE_PERIODS, REGISTRATIONS, SERVICES, SIGNUP_MODES, SUPPORTS } from "../../../domain/vocabulary.ts";
import { OfferCard, withLang } from "../components.tsx";
import { countryName, languageName, vocab } from "../format.ts";
import { COUNTRIES, SUPPORT_LANGUAGES } from "./countries.ts";
import { Choices, ErrorSummary, Field, FormToken, problemText, SpaceLayout, type Notice, type Signed } from "./shell.tsx";

export type EditorValues = Record<string, string | string[]>;

const SINGLE = [
  "slug", "service", "software", "softwareVersion", "softwareLicense", ...EDITOR_LANGUAGES.flatMap((l) => [`title_${l}`, `description_${l}`]),
  "priceModel", "priceAmount", "priceCurrency", "pricePeriod", "registration", "capacity", "storageGB", "users", "dataLocation", "signupMode", "signupUrl",
  ...Array.from({ length: MAX_INCLUDES }, (_, i) => [`include_service_${i}`, `include_software_${i}`]).flat(),
];
const MULTI = ["languages", "audience", "support"];

/** The values a posted editor form holds, to show them again (with errors, or in a preview). */
export function editorValues(f: FormFields): EditorValues {
  const out: EditorValues = {};
  for (const k of SINGLE) { const x = f.get(k); if (x !== undefined) out[k] = x.slice(0, 5000); }
  for (const k of MULTI) out[k] = f.all(k).slice(0, 30);
  return out;
}

export const CURRENCIES = ["EUR", "CHF", "GBP", "CAD"] as const;

type Props = Signed & {
  /** Undefined for a new offer. */
  slug?: string;
  version: string;
  values: EditorValues;
  errors?: FormErrors;
  preview?: Offer;
  notices?: Notice[];
  software: string[];
  publicId?: string;
  /** Why the public does not see this offer, when it does not. */
  listing?: { state: string; reason?: string };
};

export function OfferEditorPage(p: Props) {
  const { pt, locale, t } = p;
  const isNew = p.slug === undefined;
  const errors = p.errors ?? {};
  const err = (f: string) => (errors[f] ? problemText(pt, locale, f, errors[f]) : undefined);
  const one = (k: string) => { const x = p.values[k]; return typeof x === "string" ? x : ""; };
  const many = (k: string) => { const x = p.values[k]; return Array.isArray(x) ? x : typeof x === "string" && x ? [x] : []; };
  const path = isNew ? "/provider/offers/new" : `/provider/offers/${encodeURIComponent(p.slug!)}`;
  const title = isNew ? pt("editor.newTitle") : pt("editor.editTitle");
  const countries = [...new Set([...COUNTRIES, ...(one("dataLocation") ? [one("dataLocation")] : [])])]
    .map((c) => ({ c, name: countryName(c, locale) })).sort((a, b) => a.name.localeCompare(b.name, locale));
  const langs = [...new Set([...SUPPORT_LANGUAGES, ...many("languages")])];
  const includeRows = Math.min(MAX_INCLUDES, Math.max(2, Array.from({ length: MAX_INCLUDES }, (_, i) => i).filter((i) => one(`include_service_${i}`) || one(`include_software_${i}`)).length + 1));
  const select = (name: string, options: readonly string[], label: (v: string) => string, opts: { empty?: string } = {}) => (a: Record<string, unknown>) => (
    <select {...a} name={name}>
      {opts.empty !== undefined ? <option value="">{opts.empty}</option> : null}
      {options.map((o) => <option value={o} selected={one(name) === o}>{label(o)}</option>)}
    </select>
  );
  return (
    <SpaceLayout {...p} title={title} path={path} current="dashboard" notices={p.notices}>
      <p class="crumbs"><a href={withLang("/provider/dashboard", locale)}>← {pt("nav.dashboard")}</a></p>
      <h1>{title}</h1>
      {p.preview ? (
        <section aria-labelledby="preview-title" id="preview">
          <h2 id="preview-title">{pt("editor.preview")}</h2>
          <p class="small">{pt("editor.previewHelp")}</p>
          <ul class="preview results"><OfferCard offer={p.preview} locale={locale} t={t} /></ul>
        </section>
      ) : null}
      {p.listing ? (
        <div class="note warn" role="status" id="offer-listing" data-state={p.listing.state}>
          <p><strong>{pt(p.listing.state === "waiting-for-review" ? "state.waiting" : "state.moderated")}</strong></p>
          <p>{pt(p.listing.state === "waiting-for-review" ? "state.waitingHelp" : "state.moderatedHelp")}</p>
          {p.listing.reason ? <p>{pt("todo.providerHiddenReason")} <span lang="">{p.listing.reason}</span></p> : null}
        </div>
      ) : !isNew && p.publicId ? <p class="small"><a href={withLang(`/offers/${encodeURIComponent(p.publicId)}`, locale)}>{pt("editor.seePublic")}</a></p> : null}
      <form method="post" action={withLang(path, locale)} class="panel" novalidate id="offer-form">
        <FormToken csrf={p.csrf} />
        <input type="hidden" name="version" value={p.version} />
        <ErrorSummary pt={pt} errors={errors} />

        <fieldset>
          <legend>{pt("editor.what")}</legend>
          <Field id="service" label={pt("editor.service")} error={err("service")}>
            {select("service", SERVICES, (s) => vocab(t, "service", s), { empty: pt("form.choose") })}
          </Field>
          <div class="row2">
            <Field id="software" label={pt("editor.software")} hint={pt("editor.softwareHint")} error={err("software")}>
              {(a) => <input {...a} name="software" list="software-list" maxlength={80} value={one("software")} translate="no" />}
            </Field>
            <Field id="softwareVersion" label={pt("editor.version")} error={err("softwareVersion")}>
              {(a) => <input {...a} name="softwareVersion" maxlength={40} value={one("softwareVersion")} />}
            </Field>
          </div>
          <datalist id="software-list">{p.software.map((s) => <option value={s} />)}</datalist>
          <Field id="softwareLicense" label={pt("editor.license")} hint={pt("editor.licenseHint")} error={err("softwareLicense")}>
            {(a) => <input {...a} name="softwareLicense" maxlength={80} value={one("softwareLicense")} />}
          </Field>
          {isNew ? (
            <Field id="slug" label={pt("editor.slug")} hint={pt("editor.slugHint")} error={err("slug")}>
              {(a) => <input {...a} name="slug" maxlength={63} autocapitalize="off" spellcheck={false} value={one("slug")} />}
            </Field>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>{pt("editor.presentation")}</legend>
          <p class="hint">{pt("editor.languagesHint")}</p>
          {errors.title ? <p class="error" id="title-error">{problemText(pt, locale, "title", errors.title)}</p> : null}
          {EDITOR_LANGUAGES.map((l) => (
            <Field id={`title_${l}`} label={pt(`editor.title_${l}`)} error={err(`title_${l}`)}>
              {(a) => <input {...a} name={`title_${l}`} lang={l} maxlength={140} value={one(`title_${l}`)} aria-describedby={[a["aria-describedby"], errors.title ? "title-error" : ""].filter(Boolean).join(" ") || undefined} />}
            </Field>
          ))}
          {errors.description ? <p class="error" id="description-error">{problemText(pt, locale, "description", errors.description)}</p> : null}
          {EDITOR_LANGUAGES.map((l) => (
            <Field id={`description_${l}`} label={pt(`editor.description_${l}`)} error={err(`description_${l}`)}>
              {(a) => <textarea {...a} name={`description_${l}`} lang={l} maxlength={4000} rows={5} aria-describedby={[a["aria-describedby"], errors.description ? "description-error" : ""].filter(Boolean).join(" ") || undefined}>{one(`description_${l}`)}</textarea>}
            </Field>
          ))}
        </fieldset>

        <fieldset>
          <legend>{pt("editor.price")}</legend>
          <Choices type="radio" name="priceModel" legend={pt("editor.priceModel")} error={err("priceModel")} checked={[one("priceModel")]}
            options={PRICE_MODELS.map((m) => ({ value: m, label: vocab(t, "pricemodel", m), hint: pt(`editor.model.${m}`) }))} />
          <div class="row2">
            <Field id="priceAmount" label={pt("editor.amount")} hint={pt("editor.amountHint")} error={err("priceAmount")}>
              {(a) => <input {...a} name="priceAmount" inputmode="decimal" maxlength={20} value={one("priceAmount")} />}
            </Field>
            <Field id="priceCurrency" label={pt("editor.currency")} error={err("priceCurrency")}>
              {select("priceCurrency", CURRENCIES, (c) => c)}
            </Field>
            <Field id="pricePeriod" label={pt("editor.period")} error={err("pricePeriod")}>
              {select("pricePeriod", PRICE_PERIODS, (x) => pt(`editor.period.${x as (typeof PRICE_PERIODS)[number]}`), { empty: pt("editor.period.none") })}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{pt("editor.accounts")}</legend>
          <div class="row2">
            <Field id="registration" label={pt("editor.registration")} error={err("registration")}>
              {select("registration", REGISTRATIONS, (r) => vocab(t, "registration", r), { empty: pt("form.choose") })}
            </Field>
            <Field id="capacity" label={pt("editor.capacity")} error={err("capacity")}>
              {select("capacity", CAPACITIES, (c) => pt(`editor.capacity.${c as (typeof CAPACITIES)[number]}`))}
            </Field>
          </div>
          <Choices type="radio" name="signupMode" legend={pt("editor.signupMode")} error={err("signupMode")} checked={[one("signupMode") || "webhook"]}
            options={SIGNUP_MODES.map((m) => ({ value: m, label: pt(`editor.mode.${m}`), hint: pt(`editor.mode.${m}Hint`) }))} />
          <Field id="signupUrl" label={pt("editor.signupUrl")} hint={pt("editor.signupUrlHint")} error={err("signupUrl")}>
            {(a) => <input {...a} name="signupUrl" type="url" maxlength={2048} placeholder="https://" value={one("signupUrl")} />}
          </Field>
          <div class="row2">
            <Field id="storageGB" label={pt("editor.storage")} hint={pt("editor.storageHint")} error={err("storageGB")}>
              {(a) => <input {...a} name="storageGB" inputmode="decimal" maxlength={12} value={one("storageGB")} />}
            </Field>
            <Field id="users" label={pt("editor.users")} hint={pt("editor.usersHint")} error={err("users")}>
              {(a) => <input {...a} name="users" inputmode="numeric" maxlength={12} value={one("users")} />}
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{pt("editor.whereWho")}</legend>
          <Field id="dataLocation" label={pt("editor.dataLocation")} hint={pt("editor.dataLocationHint")} error={err("dataLocation")}>
            {(a) => (
              <select {...a} name="dataLocation">
                <option value="">{pt("form.choose")}</option>
                {countries.map(({ c, name }) => <option value={c} selected={one("dataLocation") === c}>{name}</option>)}
              </select>
            )}
          </Field>
          <Choices type="checkbox" name="languages" legend={pt("editor.languages")} error={err("languages")} checked={many("languages")}
            options={langs.map((l) => ({ value: l, label: languageName(l, locale) }))} />
          <Choices type="checkbox" name="audience" legend={pt("editor.audience")} error={err("audience")} checked={many("audience")}
            options={AUDIENCES.map((x) => ({ value: x, label: vocab(t, "audience", x) }))} />
          <Choices type="checkbox" name="support" legend={pt("editor.support")} error={err("support")} checked={many("support")}
            options={SUPPORTS.map((x) => ({ value: x, label: vocab(t, "support", x) }))} />
        </fieldset>

        <fieldset>
          <legend>{pt("editor.pack")}</legend>
          <p class="hint">{pt("editor.packHint")}</p>
          {Array.from({ length: includeRows }, (_, i) => (
            <div class="row2">
              <Field id={`include_service_${i}`} label={pt("editor.packService", { n: i + 1 })} error={err(`include_service_${i}`)}>
                {select(`include_service_${i}`, SERVICES, (s) => vocab(t, "service", s), { empty: pt("editor.packNone") })}
              </Field>
              <Field id={`include_software_${i}`} label={pt("editor.packSoftware", { n: i + 1 })} error={err(`include_software_${i}`)}>
                {(a) => <input {...a} name={`include_software_${i}`} list="software-list" maxlength={80} value={one(`include_software_${i}`)} translate="no" />}
              </Field>
            </div>
          ))}
        </fieldset>

        <div class="actions">
          <button class="btn" type="submit" name="action" value="save">{isNew ? pt("editor.publish") : pt("editor.save")}</button>
          <button class="btn alt" type="submit" name="action" value="preview">{pt("editor.showPreview")}</button>
        </div>
      </form>

      {!isNew ? (
        <form method="post" action={withLang(`${path}/delete`, locale)} class="panel danger">
          <h2>{pt("editor.deleteTitle")}</h2>
          <FormToken csrf={p.csrf} />
          <input type="hidden" name="version" value={p.version} />
          <p class="small">{pt("editor.deleteHelp")}</p>
          <label class="option"><input type="checkbox" name="confirm" value="yes" required /> <span>{pt("editor.deleteConfirm")}</span></label>
          <div class="actions"><button class="btn bad" type="submit">{pt("editor.delete")}</button></div>
        </form>
      ) : null}
    </SpaceLayout>
  );
}
