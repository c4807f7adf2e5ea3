import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { Locale, T } from "../../i18n/index.ts";

/**
 * The HTML shell of every page. All text passes through JSX, which escapes it.
 * `path` is the current page's URL without `lang`; the language switch appends the other locale to it.
 */
export function Layout(props: { locale: Locale; t: T; title: string; children: Child; path?: string; refreshSeconds?: number; activityJson?: string }) {
  const other = props.locale === "fr" ? "en" : "fr";
  const path = props.path ?? "/";
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={props.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="description" content={props.t("site.tagline")} />
          {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
          <title>{`${props.title} · ${props.t("site.title")}`}</title>
          {props.activityJson ? <link rel="alternate" type="application/activity+json" href={props.activityJson} /> : null}
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <a class="skip" href="#main">{props.t("nav.skip")}</a>
          <header class="site">
            <div class="bar">
              <a class="brand" href={`/?lang=${props.locale}`}>
                <span class="logo" aria-hidden="true">◆</span>
                <span>{props.t("site.title")}</span>
              </a>
              <nav aria-label={props.t("nav.search")}>
                <a class="lang" href={`${path}${path.includes("?") ? "&" : "?"}lang=${other}`} hreflang={other} lang={other} aria-label={props.t("lang.switchLabel")}>
                  {props.t("lang.switch")}
                </a>
              </nav>
            </div>
          </header>
          <main id="main">{props.children}</main>
          <footer class="site">
            <p>{props.t("footer.about")}</p>
            <p><a href={`/docs?lang=${props.locale}`}>{props.t("nav.api")}</a> · <a href="/openapi.json">openapi.json</a></p>
          </footer>
        </body>
      </html>
    </>
  );
}

// A constant stylesheet (no provider text), inlined so pages need no other request and CSP can stay strict.
const CSS = `
:root{--ink:#1c2420;--muted:#5b665f;--line:#dfe4dc;--bg:#f5f6f2;--card:#fff;--brand:#25503f;--brand2:#2f6b52;--accent:#e9f2ec;--warn:#8a5a00;--warnbg:#fff4d6;--bad:#9b2c2c;--badbg:#fde8e8}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:var(--ink);background:var(--bg);line-height:1.5;font-size:16px}
a{color:var(--brand2)}a:hover{color:var(--brand)}
:focus-visible{outline:3px solid #f2b01e;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}.skip:focus{left:.5rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.site{background:var(--brand);color:#fff}
.bar{max-width:72rem;margin:0 auto;display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.75rem 1.2rem}
header.site a{color:#fff;text-decoration:none}
.brand{display:flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.1rem;letter-spacing:.01em}
.logo{display:inline-grid;place-items:center;width:1.8rem;height:1.8rem;border-radius:50%;background:#fff;color:var(--brand);font-size:.9rem}
.lang{border:1px solid rgba(255,255,255,.55);border-radius:999px;padding:.25rem .8rem;font-size:.9rem}.lang:hover{background:rgba(255,255,255,.12)}
main{max-width:72rem;margin:0 auto;padding:1.2rem 1.2rem 3rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.88rem;text-align:center;padding:1.2rem}
footer.site p{margin:.3rem auto;max-width:46rem}
h1{font-size:1.75rem;line-height:1.2;margin:.6rem 0 .4rem}h2{font-size:1.25rem;margin:1.6rem 0 .6rem}h3{font-size:1.08rem;margin:0}
.lead{color:var(--muted);margin:0 0 1rem;max-width:46rem}
code,pre{background:#eef0ea;padding:.1rem .3rem;border-radius:3px;font-size:.9em}pre{padding:.6rem;overflow:auto}
.op{border:1px solid var(--line);border-radius:8px;margin:.8rem 0;padding:.6rem .9rem;background:#fff}
.method{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
table{border-collapse:collapse}td,th{border-bottom:1px solid var(--line);padding:.2rem .6rem;text-align:left;vertical-align:top}
.panel{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem 1.1rem}
.search .row{display:flex;gap:.5rem;flex-wrap:wrap}
.search label.big{display:block;font-weight:600;margin-bottom:.35rem}
input[type=search],select{font:inherit;color:inherit;border:1px solid #b9c2b8;border-radius:8px;padding:.55rem .7rem;background:#fff;min-width:0}
input[type=search]{flex:1 1 16rem;font-size:1.05rem}
.btn{display:inline-block;font:inherit;font-weight:600;border:0;border-radius:8px;padding:.6rem 1.1rem;background:var(--brand2);color:#fff;text-decoration:none;cursor:pointer;text-align:center}
.btn:hover{background:var(--brand);color:#fff}.btn.alt{background:#fff;color:var(--brand2);border:1px solid var(--brand2)}.btn.alt:hover{background:var(--accent);color:var(--brand)}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.6rem .8rem;margin-top:.9rem}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);gap:.2rem}
.filters label.check{grid-column:1/-1;flex-direction:row;align-items:center;gap:.45rem;color:var(--ink);font-size:.92rem}
.notice{border-radius:8px;padding:.6rem .9rem;margin:1rem 0;background:var(--warnbg);color:#5a3b00;border:1px solid #f0d48a}
.layout{display:grid;grid-template-columns:15rem 1fr;gap:1.4rem;margin-top:1.2rem;align-items:start}
@media (max-width:50rem){.layout{grid-template-columns:1fr}.facets{order:2}}
.facets h2{font-size:1rem;margin:0 0 .4rem}.facets h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.9rem 0 .3rem}
.facets ul{list-style:none;margin:0;padding:0}.facets li a{display:flex;justify-content:space-between;gap:.5rem;padding:.18rem .4rem;border-radius:6px;text-decoration:none;color:var(--ink);font-size:.92rem}
.facets li a:hover{background:var(--accent)}.facets li a[aria-current=true]{background:var(--accent);font-weight:600;color:var(--brand)}
.count{color:var(--muted);font-variant-numeric:tabular-nums}
.summary{display:flex;justify-content:space-between;align-items:center;gap:.8rem;flex-wrap:wrap;margin-bottom:.6rem}.summary p{margin:0;font-weight:600}
.results{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:.9rem 1rem;display:grid;gap:.45rem}
.card:hover{border-color:#b8c7bb}
.card .top{display:flex;justify-content:space-between;gap:.8rem;align-items:flex-start}
.card h3 a{text-decoration:none;color:var(--ink)}.card h3 a:hover{color:var(--brand2);text-decoration:underline}
.by{color:var(--muted);font-size:.92rem;margin:0}.desc{margin:0;color:#333d37;font-size:.95rem}
.meta{display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;font-size:.9rem;color:var(--muted);align-items:center}
.price{font-weight:700;color:var(--ink)}
.cmp{display:flex;gap:.35rem;align-items:center;font-size:.85rem;color:var(--muted);white-space:nowrap}
.badges{display:flex;flex-wrap:wrap;gap:.35rem}
.badge{display:inline-block;font-size:.78rem;font-weight:600;border-radius:999px;padding:.1rem .55rem;background:#eef1ec;color:#3c4a41;border:1px solid #dde3da}
.badge.ok{background:var(--accent);color:var(--brand);border-color:#cfe3d6}.badge.warn{background:var(--warnbg);color:var(--warn);border-color:#f0d48a}
.badge.bad{background:var(--badbg);color:var(--bad);border-color:#f3c4c4}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:1rem}
.crumbs{font-size:.9rem;margin:.2rem 0 .4rem}
.detail{display:grid;grid-template-columns:1fr 20rem;gap:1.4rem;align-items:start;margin-top:.8rem}
@media (max-width:50rem){.detail{grid-template-columns:1fr}.detail aside{display:contents}.detail .cta{order:-1}}
dl.facts{display:grid;grid-template-columns:minmax(9rem,auto) 1fr;gap:.45rem 1rem;margin:0}
dl.facts dt{color:var(--muted);font-size:.92rem}dl.facts dd{margin:0}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}}
.cta{display:grid;gap:.6rem}#updated,#since{margin-top:1rem}.cta .price{font-size:1.35rem}.cta .btn{width:100%}.small{font-size:.85rem;color:var(--muted);margin:0}
aside .panel+.panel{margin-top:1rem}
.help{margin:.5rem 0 0}.gap{margin-top:1rem}
.prose p{margin:.4rem 0 .8rem}
.provider h2{margin-top:0}.provider dl.facts{margin-top:.6rem}
`;
