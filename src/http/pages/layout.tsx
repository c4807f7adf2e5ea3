import type { Child } from "hono/jsx";
import type { Locale, T } from "../../i18n/index.ts";

/** The HTML shell of every page. All text passes through JSX, which escapes it. */
export function Layout(props: { locale: Locale; t: T; title: string; children: Child; path?: string }) {
  const other = props.locale === "fr" ? "en" : "fr";
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${props.t("site.title")}`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header class="site">
          <a class="brand" href={`/?lang=${props.locale}`}>{props.t("site.title")}</a>
          <a class="lang" href={`${props.path ?? "/"}${(props.path ?? "/").includes("?") ? "&" : "?"}lang=${other}`} hreflang={other}>{props.t("lang.switch")}</a>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafaf7;line-height:1.45}
header.site{display:flex;justify-content:space-between;align-items:center;padding:.8rem 1.2rem;background:#2d4b3f;color:#fff}
header.site a{color:#fff;text-decoration:none}.brand{font-weight:700;font-size:1.1rem}
main{max-width:64rem;margin:0 auto;padding:1rem 1.2rem 3rem}
code,pre{background:#eef0ea;padding:.1rem .3rem;border-radius:3px;font-size:.9em}
pre{padding:.6rem;overflow:auto}
.op{border:1px solid #d8dcd2;border-radius:6px;margin:.8rem 0;padding:.6rem .9rem;background:#fff}
.method{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
table{border-collapse:collapse}td,th{border-bottom:1px solid #e3e6de;padding:.2rem .6rem;text-align:left;vertical-align:top}
`;
