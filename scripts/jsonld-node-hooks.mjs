/** Module resolution hook: jsonld's browser bundles → jsonld's Node build (see jsonld-node.mjs). */
export const JSONLD_BROWSER_BUNDLE = /^jsonld\/dist\/jsonld(\.esm)?(\.min)?\.js$/;

export async function resolve(specifier, context, next) {
  return next(JSONLD_BROWSER_BUNDLE.test(specifier) ? "jsonld" : specifier, context);
}
