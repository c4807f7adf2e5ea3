/**
 * "Did you mean": when a query finds nothing, each word that is not in the catalog's vocabulary is replaced by the
 * closest term the catalog does contain ("nexcloud" → "nextcloud"), within a small edit distance, preferring terms
 * more offers contain. The vocabulary is the search index's own (FTS5 vocab view), so suggestions always exist.
 */
import { words } from "../text.ts";

/** Terms of the search index between `min` and `max` characters (no digits), with how many offers hold each. */
export type Vocabulary = (min: number, max: number) => Promise<Array<{ term: string; doc: number }>>;

/** Words shorter than this are left alone (too many near neighbours to guess). */
const MIN_WORD = 4;

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), or `max + 1` once over `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** The allowed distance for a word: one typo up to 5 letters, two beyond. */
const allowed = (w: string) => (w.length <= 5 ? 1 : 2);

/** A corrected query, or undefined when no word could be corrected. */
export async function suggestQuery(vocabulary: Vocabulary, q: string): Promise<string | undefined> {
  const ws = words(q).slice(0, 12);
  const candidates = ws.filter((w) => w.length >= MIN_WORD && !/\d/.test(w));
  if (candidates.length === 0) return undefined;
  const lengths = candidates.map((w) => w.length);
  const terms = await vocabulary(Math.max(1, Math.min(...lengths) - 2), Math.max(...lengths) + 2);
  const known = new Set(terms.map((t) => t.term));
  let changed = false;
  const out = ws.map((w) => {
    if (w.length < MIN_WORD || /\d/.test(w) || known.has(w)) return w;
    let best: { term: string; d: number; doc: number } | undefined;
    const max = allowed(w);
    for (const t of terms) {
      const d = editDistance(w, t.term, max);
      if (d > max) continue;
      if (!best || d < best.d || (d === best.d && t.doc > best.doc)) best = { term: t.term, d, doc: t.doc };
    }
    if (!best) return w;
    changed = true;
    return best.term;
  });
  return changed ? out.join(" ") : undefined;
}
