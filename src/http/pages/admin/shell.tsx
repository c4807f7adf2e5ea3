/**
 * The operator space's frame (/admin): its menu, notices and the forms every page uses — approve, hide (a reason is
 * required), show again, close a report — each carrying the session's form token. Styles are the provider space's.
 */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { AT } from "../../../i18n/admin.ts";
import type { Locale, T } from "../../../i18n/index.ts";
import { withLang } from "../components.tsx";
import { Layout } from "../layout.tsx";
import { FormToken, SPACE_CSS, type Notice } from "../provider/shell.tsx";

export type AdminView = { locale: Locale; t: T; at: AT; csrf: string };
export type SignedAdmin = AdminView & { operator: string };

export type AdminNav = "overview" | "review" | "reports" | "hidden" | "audit";
const NAV: Array<[AdminNav, string]> = [["overview", "/admin"], ["review", "/admin/review"], ["reports", "/admin/reports"], ["hidden", "/admin/hidden"], ["audit", "/admin/audit"]];

export type { Notice };

export function AdminLayout(p: (AdminView | SignedAdmin) & { title: string; path: string; current?: AdminNav; notices?: Notice[]; children: Child }) {
  const signed = "operator" in p ? p.operator : undefined;
  return (
    <Layout locale={p.locale} t={p.t} title={p.title} path={p.path} head={<style>{raw(SPACE_CSS + ADMIN_CSS)}</style>}>
      {signed !== undefined ? (
        <div class="space-bar">
          <p class="space-who"><span class="small">{p.at("admin.space")}</span> <strong>{signed}</strong></p>
          <nav aria-label={p.at("admin.menu")} class="space-nav">
            {NAV.map(([key, href]) => <a href={withLang(href, p.locale)} aria-current={p.current === key ? "page" : undefined}>{p.at(`admin.nav.${key}`)}</a>)}
          </nav>
          <form method="post" action={withLang("/admin/signout", p.locale)} class="space-out">
            <FormToken csrf={p.csrf} />
            <button type="submit" class="linkish">{p.at("admin.nav.signout")}</button>
          </form>
        </div>
      ) : null}
      <div class="space wide">
        {(p.notices ?? []).map((n) => <div class={`note ${n.kind}`} role={n.kind === "ok" ? "status" : "alert"} id={n.id}>{n.text}</div>)}
        {p.children}
      </div>
    </Layout>
  );
}

/** An action form with an optional or required text (reason, note); `back` is where to come back to. */
export function ActionForm(p: {
  csrf: string; locale: Locale; action: string; back: string; button: string; danger?: boolean;
  text?: { name: "reason" | "note"; label: string; required?: boolean; id: string };
}) {
  return (
    <form method="post" action={withLang(p.action, p.locale)} class={`act${p.danger ? " danger" : ""}`}>
      <FormToken csrf={p.csrf} />
      <input type="hidden" name="back" value={p.back} />
      {p.text ? (
        <div class="field">
          <label for={p.text.id}>{p.text.label}</label>
          <input id={p.text.id} name={p.text.name} maxlength={500} required={p.text.required ?? false} autocomplete="off" />
        </div>
      ) : null}
      <button class={`btn sm${p.danger ? " bad" : ""}`} type="submit">{p.button}</button>
    </form>
  );
}

/** "Approve" and "Hide" side by side (the review queue and a provider's page). */
export function ProviderActions(p: AdminView & { slug: string; state: "listed" | "waiting-for-review" | "hidden"; back: string }) {
  const { at } = p;
  const base = `/admin/providers/${encodeURIComponent(p.slug)}`;
  const id = (x: string) => `${x}-${p.slug}`;
  return (
    <div class="acts">
      {p.state === "waiting-for-review" ? (
        <ActionForm csrf={p.csrf} locale={p.locale} action={`${base}/approve`} back={p.back} button={at("admin.approve")} text={{ name: "reason", label: at("admin.note"), id: id("approve-note") }} />
      ) : null}
      {p.state === "hidden" ? (
        <ActionForm csrf={p.csrf} locale={p.locale} action={`${base}/unhide`} back={p.back} button={at("admin.unhide")} text={{ name: "reason", label: at("admin.note"), id: id("unhide-note") }} />
      ) : (
        <ActionForm csrf={p.csrf} locale={p.locale} action={`${base}/hide`} back={p.back} button={at("admin.hide")} danger text={{ name: "reason", label: at("admin.hideReason"), required: true, id: id("hide-reason") }} />
      )}
    </div>
  );
}

const ADMIN_CSS = `
.acts{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:flex-end;margin-top:.4rem}
.act{display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:flex-end;margin:0}
.act .field{margin:0;min-width:12rem;flex:1 1 14rem}
.act .field input{padding:.4rem .6rem}
table.audit{border-collapse:collapse;width:100%;font-size:.95rem}
table.audit th,table.audit td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:.45rem .5rem;overflow-wrap:anywhere}
table.audit th{color:var(--muted);font-weight:600}
.tabs{display:flex;gap:.6rem;margin:0 0 1rem;flex-wrap:wrap}
.tabs a{padding:.3rem .7rem;border-radius:8px;border:1px solid var(--line);text-decoration:none}
.tabs a[aria-current=page]{background:var(--brand2);color:#fff;border-color:var(--brand2)}
blockquote.msg{margin:.2rem 0;padding:.4rem .7rem;border-left:4px solid var(--line);background:#fff;white-space:pre-wrap;overflow-wrap:anywhere}
`;
