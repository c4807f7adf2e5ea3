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

// ---- words that name a filter: "gratuit"/"free" → price=free; "association" → audience; a country's name → place ----

const FREE_WORDS = new Set(["gratuit", "gratuite", "gratuits", "gratuites", "free"]);
/** Who a person says the service is for ("pour mon association"): the offers that declare that audience. */
const AUDIENCE_WORDS = new Map<string, string>([
  ...["association", "associations", "asso", "assos"].map((w) => [w, "associations"] as const),
  ...["entreprise", "entreprises", "company", "companies", "pme", "business"].map((w) => [w, "companies"] as const),
  ...["particulier", "particuliers", "individual", "individuals", "famille", "family"].map((w) => [w, "individuals"] as const),
  ...["collectivite", "collectivites", "mairie", "mairies", "municipality"].map((w) => [w, "public-sector"] as const),
]);

/** Folded country names in French and English (and a few common forms) → ISO 3166-1 alpha-2 code. */
const COUNTRY_NAMES: Map<string, string> = (() => {
  const out = new Map<string, string>();
  const names = ["fr", "en"].map((l) => new Intl.DisplayNames([l], { type: "region", fallback: "none" }));
  const A = "A".charCodeAt(0);
  for (let i = 0; i < 26; i++) for (let j = 0; j < 26; j++) {
    const code = String.fromCharCode(A + i, A + j);
    if (code === "EU" || code === "EZ" || code === "UN" || code === "ZZ" || code.startsWith("Q") || code.startsWith("X")) continue;
    for (const dn of names) {
      let name: string | undefined;
      try { name = dn.of(code); } catch { name = undefined; }
      const key = name ? words(name).join(" ") : "";
      if (key && !out.has(key)) out.set(key, code); // first code wins: GB before its alias UK
    }
  }
  for (const [form, code] of [["belge", "BE"], ["belges", "BE"], ["swiss", "CH"], ["luxembourgeois", "LU"], ["quebecois", "CA"]] as const) out.set(form, code);
  return out;
})();
const LONGEST_COUNTRY = Math.max(...[...COUNTRY_NAMES.keys()].map((n) => n.split(" ").length));

export type UnderstoodField = "price" | "audience" | "place";
export type Understood = {
  text: string;
  filters: Partial<Record<UnderstoodField, string[]>>;
  /** The folded words that named each filter (so a page can offer to search without them). */
  words: Partial<Record<UnderstoodField, string[]>>;
};

/**
 * Splits a query into the words to search and the filters some words name: "nextcloud gratuit en belgique" →
 * text "nextcloud en", filters {price: [free], place: [BE]}; "un nextcloud pour mon association" → text "un
 * nextcloud pour mon", filters {audience: [associations]}. What is left only of stopwords is dropped.
 */
export function understand(q: string): Understood {
  const ws = words(q).slice(0, MAX_WORDS);
  const kept: string[] = [];
  const price = new Set<string>();
  const audience = new Set<string>();
  const place = new Set<string>();
  const used: Understood["words"] = {};
  const use = (field: UnderstoodField, from: string[]) => { (used[field] ??= []).push(...from); };
  for (let i = 0; i < ws.length;) {
    let matched = 0;
    for (let n = Math.min(LONGEST_COUNTRY, ws.length - i); n >= 1 && !matched; n--) {
      const code = COUNTRY_NAMES.get(ws.slice(i, i + n).join(" "));
      if (code) { place.add(code); matched = n; use("place", ws.slice(i, i + n)); }
    }
    if (!matched && FREE_WORDS.has(ws[i])) { price.add("free"); matched = 1; use("price", [ws[i]]); }
    if (!matched && AUDIENCE_WORDS.has(ws[i])) { audience.add(AUDIENCE_WORDS.get(ws[i])!); matched = 1; use("audience", [ws[i]]); }
    if (matched) { i += matched; continue; }
    kept.push(ws[i]);
    i++;
  }
  const filters: Understood["filters"] = {};
  if (price.size) filters.price = [...price];
  if (audience.size) filters.audience = [...audience].sort();
  if (place.size) filters.place = [...place].sort();
  const named = price.size + audience.size + place.size > 0;
  const text = named && kept.every((w) => STOPWORDS.has(w)) ? "" : kept.join(" ");
  return { text: named ? text : q, filters, words: used };
}

/** `q` without the words that named `field` (kept as the person typed the others), for "search without this filter". */
export function withoutWordsOf(q: string, field: UnderstoodField): string {
  const drop = new Set(understand(q).words[field] ?? []);
  return q.split(/\s+/).filter((token) => {
    const ws = words(token);
    return ws.length === 0 || !ws.every((w) => drop.has(w));
  }).join(" ").trim();
}
