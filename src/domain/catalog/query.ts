/**
 * Free text → FTS5 MATCH expression. Every word (or synonym phrase) must match, accents and case folded; each word
 * also matches its singular/plural form and, when it names a service (synonyms.json), that service's offers; the
 * last word is a prefix so results follow typing. User text never reaches FTS5 syntax: every term is quoted.
 */
import { words } from "../text.ts";
import synonyms from "./synonyms.json" with { type: "json" };

const MAX_WORDS = 12;

type Phrase = string[];
const byFirstWord = new Map<string, Array<{ phrase: Phrase; service: string }>>();
for (const [service, list] of Object.entries(synonyms.services as Record<string, string[]>)) {
  for (const entry of [service, ...list]) {
    const phrase = words(entry);
    if (phrase.length === 0) continue;
    const bucket = byFirstWord.get(phrase[0]) ?? [];
    bucket.push({ phrase, service });
    byFirstWord.set(phrase[0], bucket);
  }
}
for (const bucket of byFirstWord.values()) bucket.sort((a, b) => b.phrase.length - a.phrase.length);
const STOPWORDS = new Set((synonyms.stopwords as string[]).flatMap((w) => words(w)));

/** Singular and plural forms of a folded French or English word ("agendas" ↔ "agenda", "reseaux" ↔ "reseau"). */
export function wordForms(w: string): string[] {
  const forms = new Set([w]);
  if (w.length < 3 || /\d/.test(w)) return [...forms];
  let singular = w;
  if (w.length > 4 && w.endsWith("ies")) singular = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /[^e]aux$/.test(w)) { singular = `${w.slice(0, -3)}al`; forms.add(w.slice(0, -1)); } // journaux → journal
  else if (w.length > 3 && /(eau|eu)x$/.test(w)) singular = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) singular = w.slice(0, -1);
  forms.add(singular);
  if (singular === w) {
    if (/(eau|au|eu)$/.test(w)) forms.add(`${w}x`);
    else if (!w.endsWith("s")) forms.add(`${w}s`);
  }
  return [...forms];
}

export type ParsedQuery = {
  /** Groups ANDed together; each holds alternative phrases (each a list of words). */
  groups: Array<{ alternatives: Phrase[]; services: string[]; prefix: boolean }>;
};

/** Splits folded text into groups: the longest synonym phrase at each position, else one word. */
export function parseQuery(q: string): ParsedQuery {
  const ws = words(q).slice(0, MAX_WORDS);
  // Stopwords are dropped (inside a synonym phrase they still count), unless the query has nothing else.
  const onlyStopwords = ws.every((w) => STOPWORDS.has(w));
  const groups: ParsedQuery["groups"] = [];
  for (let i = 0; i < ws.length;) {
    const candidates = byFirstWord.get(ws[i]) ?? [];
    const hit = candidates.find((c) => c.phrase.length > 1 && c.phrase.every((p, j) => ws[i + j] === p));
    if (hit) {
      const services = candidates.filter((c) => c.phrase.join(" ") === hit.phrase.join(" ")).map((c) => c.service);
      groups.push({ alternatives: [hit.phrase], services: [...new Set(services)], prefix: false });
      i += hit.phrase.length;
      continue;
    }
    const w = ws[i];
    i += 1;
    if (!onlyStopwords && STOPWORDS.has(w)) continue;
    const forms = wordForms(w);
    const services = new Set<string>();
    for (const f of forms) for (const c of byFirstWord.get(f) ?? []) if (c.phrase.length === 1) services.add(c.service);
    groups.push({ alternatives: forms.map((f) => [f]), services: [...services], prefix: i === ws.length });
  }
  return { groups };
}

const quote = (phrase: Phrase) => `"${phrase.join(" ")}"`;

/** The FTS5 MATCH expression for `q`, or undefined when no searchable word is left. */
export function ftsMatch(q: string): string | undefined {
  const { groups } = parseQuery(q);
  if (groups.length === 0) return undefined;
  return groups.map((g) => {
    const prefix = g.prefix && g.alternatives[0][0].length >= 2 ? g.alternatives[0][0] : undefined;
    // With the last word as a prefix, forms that start with it ("nextcs" for "nextc") add nothing.
    const alternatives = prefix ? g.alternatives.filter((a, i) => i === 0 || !a[0].startsWith(prefix)) : g.alternatives;
    const terms = alternatives.map((a, i) => (prefix && i === 0 ? `${quote(a)}*` : quote(a)));
    // A service word also finds offers of that service through the keywords column (indexed in both languages).
    for (const s of g.services) terms.push(`keywords : ${quote([s])}`);
    const unique = [...new Set(terms)];
    return unique.length === 1 ? unique[0] : `(${unique.join(" OR ")})`;
  }).join(" AND ");
}
