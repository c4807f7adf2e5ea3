/**
 * What a person reads on a page, as pieces of text: text nodes (the `<title>` included) and the attributes read to
 * them (`aria-label`, `title`, `placeholder`, `alt`), without styles, scripts, form values and the `<title>` (the page's
 * heading and the site's name, both read in the body). Elements marked with a `lang` other than the page's (text shown
 * in its own language on purpose, such as the language switch or a provider's English-only description) or with
 * `translate="no"` (names of providers and software, code) are left out with everything inside them.
 */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const READ_ATTRS = ["aria-label", "title", "placeholder", "alt"];

const decode = (s: string) => s
  .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&nbsp;/g, "\u00a0").replace(/&amp;/g, "&");

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`, "i").exec(attrs);
  return m ? decode(m[1]) : undefined;
}

export function readableText(html: string): { lang: string; pieces: string[] } {
  const body = html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/<script[\s\S]*?<\/script>/gi, "").replace(/<!--[\s\S]*?-->/g, "").replace(/<!DOCTYPE[^>]*>/i, "");
  const pageLang = /<html[^>]*\slang="([^"]+)"/.exec(html)?.[1] ?? "";
  const pieces: string[] = [];
  const stack: Array<{ tag: string; skip: boolean }> = [];
  const skipping = () => stack.some((e) => e.skip);
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[5] !== undefined) {
      if (!skipping()) {
        const text = decode(m[5]).replace(/\s+/g, " ").trim();
        const top = stack[stack.length - 1]?.tag;
        if (text && top !== "textarea") pieces.push(text);
      }
      continue;
    }
    const [, closing, rawTag, attrs, selfClosing] = m;
    const tag = rawTag.toLowerCase();
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
      continue;
    }
    const lang = attr(attrs, "lang");
    const skip = (lang !== undefined && lang !== pageLang && tag !== "html") || attr(attrs, "translate") === "no" || tag === "title";
    if (!skip && !skipping()) {
      for (const a of READ_ATTRS) {
        const value = attr(attrs, a);
        if (value) pieces.push(value.replace(/\s+/g, " ").trim());
      }
    }
    if (!VOID.has(tag) && !selfClosing) stack.push({ tag, skip });
  }
  return { lang: pageLang, pieces };
}
