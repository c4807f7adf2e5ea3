/** The HTML answers a browser gets for an unknown address or an unexpected failure, in the reader's language. */
import type { Locale, T } from "../../i18n/index.ts";
import { pagesTranslator } from "../../i18n/pages.ts";
import { withLang } from "./components.tsx";
import { Layout } from "./layout.tsx";

export function ErrorPage(props: { locale: Locale; t: T; kind: "not-found" | "server"; path: string }) {
  const pt = pagesTranslator(props.locale);
  const title = pt(props.kind === "not-found" ? "error.notFoundTitle" : "error.serverTitle");
  return (
    <Layout locale={props.locale} t={props.t} title={title} path={props.path}>
      <h1>{title}</h1>
      <p class="lead">{pt(props.kind === "not-found" ? "error.notFound" : "error.server")}</p>
      <p><a class="btn" href={withLang("/", props.locale)}>{pt("error.back")}</a></p>
    </Layout>
  );
}
