/** Joining from the provider space's form: the API's registration (ProviderInput), with a slug made from the name. */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import { findProviderBySlug } from "../../db/queries/providers.ts";
import { fail, type Result } from "../errors.ts";
import { ProviderInput, Slug } from "../schemas.ts";
import { registerProvider, type ProviderRegistration } from "./accounts.ts";
import type { ActionLimits } from "../ratelimit.ts";
import { EDITOR_LANGUAGES, slugify, type FieldProblem, type FormErrors, type FormFields } from "./offer-form.ts";

type Invalid = { kind: "invalid"; detail: string; fields: FormErrors };

/** The first free slug made from `name` ("Chatons du Lot" → chatons-du-lot, then chatons-du-lot-2…). */
async function freeSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  for (let i = 1; ; i++) {
    const s = i === 1 ? base : `${base.slice(0, 58)}-${i}`;
    if (!(await findProviderBySlug(db, s))) return s;
  }
}

function problemOf(issue: v.BaseIssue<unknown>): [string, FieldProblem] {
  const [a, b] = (issue.path ?? []).map((p) => String(p.key));
  const field = a === "description" && b && EDITOR_LANGUAGES.includes(b as never) ? `description_${b}` : a ?? "form";
  const max = (issue as { requirement?: unknown }).requirement;
  const empty = issue.input === undefined || issue.input === "";
  const problem: FieldProblem = issue.type === "max_length" && typeof max === "number" ? { code: "too-long", max }
    : empty ? (field === "country" || field === "orgType" ? { code: "choose" } : { code: "required" })
    : field === "website" ? { code: "url" } : field === "slug" ? { code: "slug" } : { code: "invalid" };
  return [field, problem];
}

/** Registers the provider a join form describes; problems come back by field. */
export async function joinFromForm(db: Db, f: FormFields, nowMs: number, limits?: ActionLimits): Promise<Result<ProviderRegistration, Invalid | { kind: "conflict"; detail: string } | { kind: "rate-limited"; detail: string; retryAfterSec: number }>> {
  const text = (name: string) => (f.get(name) ?? "").trim();
  const description = Object.fromEntries(EDITOR_LANGUAGES.map((l) => [l, text(`description_${l}`)]).filter(([, s]) => s !== ""));
  const asked = text("slug").toLowerCase();
  const input = {
    slug: asked || (text("name") ? await freeSlug(db, text("name")) : "xx"),
    name: text("name"), website: text("website"), email: text("email"), country: text("country"), orgType: text("orgType"),
    ...(Object.keys(description).length ? { description } : {}),
  };
  const errors: FormErrors = {};
  if (asked && !v.is(Slug, asked)) errors.slug = { code: "slug" };
  else if (asked && (await findProviderBySlug(db, asked))) errors.slug = { code: "slug-taken" };
  const parsed = v.safeParse(ProviderInput, input);
  if (!parsed.success) for (const issue of parsed.issues) { const [field, problem] = problemOf(issue); errors[field] ??= problem; }
  if (!parsed.success || Object.keys(errors).length) return fail({ kind: "invalid", detail: "Some fields are invalid.", fields: errors });
  const r = await registerProvider(db, parsed.output, nowMs, limits);
  if (!r.ok && r.error.kind === "rate-limited") return fail({ kind: "rate-limited", detail: r.error.detail, retryAfterSec: r.error.retryAfterSec });
  // Two people joining with the same name at once: the loser's slug is taken; ask again with the form filled.
  if (!r.ok) return r.error.kind === "conflict" ? fail({ kind: "invalid", detail: r.error.detail, fields: { slug: { code: "slug-taken" } } }) : fail({ kind: "conflict", detail: r.error.detail });
  return r;
}
