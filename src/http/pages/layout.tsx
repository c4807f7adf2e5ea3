import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { Locale, T } from "../../i18n/index.ts";
import { pagesTranslator } from "../../i18n/pages.ts";
import { providerTranslator } from "../../i18n/provider.ts";

/**
 * The HTML shell of every page. All text passes through JSX, which escapes it.
 * `path` is the current page's URL without `lang`; the language switch appends the other locale to it.
 */
export function Layout(props: { locale: Locale; t: T; title: string; children: Child; path?: string; refreshSeconds?: number; activityJson?: string; head?: Child }) {
  const other = props.locale === "fr" ? "en" : "fr";
  const path = props.path ?? "/";
  const pt = pagesTranslator(props.locale);
  const link = (p: string) => `${p}?lang=${props.locale}`;
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
          {props.head ?? null}
        </head>
        <body>
          <a class="skip" href="#main">{props.t("nav.skip")}</a>
          <header class="site">
            <div class="bar">
              <a class="brand" href={`/?lang=${props.locale}`}>
                <span class="logo" aria-hidden="true">◆</span>
                <span>{props.t("site.title")}</span>
              </a>
              <nav aria-label={pt("nav.main")} class="menu">
                <a href={link("/providers")}>{pt("nav.providers")}</a>
                <a href={link("/about")}>{pt("nav.about")}</a>
                <a class="lang" href={`${path}${path.includes("?") ? "&" : "?"}lang=${other}`} hreflang={other} lang={other} aria-label={props.t("lang.switchLabel")}>
                  {props.t("lang.switch")}
                </a>
              </nav>
            </div>
          </header>
          <main id="main">{props.children}</main>
          <footer class="site">
            <p>{props.t("footer.about")}</p>
            <nav aria-label={pt("footer.links")}>
              <a href={link("/about")}>{pt("nav.about")}</a> · <a href={link("/providers")}>{pt("nav.providers")}</a>
              {" · "}<a href={link("/badges")}>{pt("footer.badges")}</a> · <a href={link("/privacy")}>{pt("footer.privacy")}</a>
              {" · "}<a href={link("/for-providers")}>{providerTranslator(props.locale)("footer.forProviders")}</a>
              {" · "}<a href={link("/docs")}>{props.t("nav.api")}</a>
            </nav>
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
.bar{max-width:72rem;margin:0 auto;display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;padding:.75rem 1.2rem}
.menu{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .9rem;font-size:.95rem}.menu a:not(.lang){text-decoration:underline;text-underline-offset:3px;text-decoration-color:rgba(255,255,255,.45)}
footer.site nav{line-height:2}
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
.op h2.op-title{font-size:1.05rem;margin:.2rem 0}.op h3 code,.op h2 code,.op td code,.op p code{overflow-wrap:anywhere}.op table{display:block;max-width:100%;overflow-x:auto}
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
.panel>h2:first-child,.panel>section>h2:first-child{margin-top:0}
.filters label input[type=search]{flex:none;font-size:1rem}
.card h2.h3{font-size:1.08rem;margin:0}.card h2.h3 a{text-decoration:none;color:var(--ink)}.card h2.h3 a:hover{color:var(--brand2);text-decoration:underline}
.selection{margin:1rem 0;display:grid;gap:.6rem;justify-items:start}.selection h2{margin:0}
.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.chips li{display:flex;align-items:center;gap:.4rem;background:var(--accent);border:1px solid #cfe3d6;border-radius:999px;padding:.15rem .3rem .15rem .75rem;font-size:.92rem}
.chips a{display:inline-grid;place-items:center;width:1.6rem;height:1.6rem;border-radius:50%;text-decoration:none;color:var(--brand)}.chips a:hover{background:#fff}
.understood{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .6rem;margin:.8rem 0 0}
.compare-tools{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:center}
.compare-wrap{position:relative;overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:12px;margin-top:.6rem}
table.compare{width:100%;border-collapse:separate;border-spacing:0}
table.compare th,table.compare td{padding:.55rem .7rem;border-bottom:1px solid var(--line);min-width:10.5rem;vertical-align:top}
table.compare th[scope=row],table.compare thead th:first-child{position:sticky;left:0;z-index:1;background:var(--card);min-width:8.5rem;max-width:10rem;border-right:1px solid var(--line)}
table.compare thead th{vertical-align:bottom}table.compare thead th a{font-weight:700}
table.compare .who{display:block;font-weight:400;font-size:.85rem;color:var(--muted)}
table.compare .remove{display:inline-block;margin-top:.3rem;font-weight:400;font-size:.85rem}
table.compare tr.differs td,table.compare tr.differs th[scope=row]{background:#fff4d6}
table.compare .differs-mark{font-weight:400;font-size:.85rem;color:#5a3b00}
table.compare tr.actions td{border-bottom:0}table.compare tr.actions .btn{width:100%}
@media (max-width:40rem){table.compare th,table.compare td{min-width:9rem}table.compare th[scope=row],table.compare thead th:first-child{min-width:6.5rem;max-width:7.5rem;font-size:.9rem}}
@media (min-width:60rem){.scroll-hint{display:none}}
.signup .field{display:grid;gap:.3rem;margin:1rem 0}.signup .field label{font-weight:600}
.signup input:not([type=checkbox]),.signup textarea{font:inherit;color:inherit;width:100%;max-width:34rem;border:1px solid #8c968d;border-radius:8px;padding:.55rem .7rem;background:#fff}
.signup input[aria-invalid=true],.signup textarea[aria-invalid=true]{border:2px solid var(--bad)}
.error{color:var(--bad);margin:0;font-size:.92rem;font-weight:600}.error::before{content:"⚠ "}
.consent{margin:1.2rem 0 .6rem}.consent label{display:flex;gap:.6rem;align-items:flex-start}
.consent input{margin-top:.25rem;width:1.15rem;height:1.15rem;flex:none}.consent .error{margin:.3rem 0 0 1.75rem}
.signup > p:first-child{margin-top:0}.signup .btn{margin-top:.4rem}
form.erase{margin-top:1rem;padding-top:.8rem;border-top:1px solid var(--line)}
ol.steps{padding-left:1.4rem}ol.steps li{margin:.3rem 0}ol.steps .msg{color:var(--muted);font-size:.92rem}
.status h2{margin-top:0}
.badge-list{margin:0}.badge-row{display:grid;grid-template-columns:15rem 1fr;gap:1rem;padding:.6rem 0;border-top:1px solid var(--line);align-items:start}
.badge-row:first-child{border-top:0}.badge-row dd{margin:0}
@media (max-width:40rem){.badge-row{grid-template-columns:1fr;gap:.3rem}}
`;
