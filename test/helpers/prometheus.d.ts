/** parse-prometheus-text-format ships no types: its default export parses the text format into prom2json-like families. */
declare module "parse-prometheus-text-format" {
  const parse: (text: string) => unknown;
  export default parse;
}
