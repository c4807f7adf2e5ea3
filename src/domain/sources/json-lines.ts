/**
 * Where each value of a JSON document starts: `"offers.0.price.amount" → line 12`, so a pull report can name the line
 * of each problem in a JSON offer document as it does for StatoolInfos files. A small scanner over a document that
 * JSON.parse already accepted; it reads strings, numbers, literals, objects and arrays and nothing else.
 */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skip = () => {
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\n") line++;
      else if (ch !== " " && ch !== "\t" && ch !== "\r") break;
    }
  };
  const string = (): string => {
    let out = "";
    i++; // opening quote
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === "\\") { out += text[i + 1] === "u" ? String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)) : text[i + 1]; i += text[i + 1] === "u" ? 5 : 1; }
      else out += text[i];
    }
    i++; // closing quote
    return out;
  };
  const value = (path: string): void => {
    skip();
    lines.set(path, line);
    const ch = text[i];
    if (ch === "{") {
      i++;
      for (skip(); text[i] !== "}" && i < text.length; skip()) {
        const key = string();
        skip(); i++; // colon
        value(path ? `${path}.${key}` : key);
        skip();
        if (text[i] === ",") i++;
      }
      i++;
    } else if (ch === "[") {
      i++;
      for (let n = 0; (skip(), text[i] !== "]") && i < text.length; n++) {
        value(path ? `${path}.${n}` : String(n));
        skip();
        if (text[i] === ",") i++;
      }
      i++;
    } else if (ch === '"') string();
    else while (i < text.length && !/[\s,}\]]/.test(text[i])) i++;
  };
  value("");
  return lines;
}

/** The line of `path`, or of its nearest ancestor present in the document (a missing field is reported where its object starts). */
export function lineOf(lines: Map<string, number>, path: string): number | undefined {
  for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const n = lines.get(p);
    if (n !== undefined) return n;
  }
  return undefined;
}
