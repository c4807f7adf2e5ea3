import type { Locale, T } from "../../i18n/index.ts";
import { colon } from "./format.ts";
import { Layout } from "./layout.tsx";

type Doc = { info: { title: string; description: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };

/** /docs: a readable rendering of the generated OpenAPI document (no external scripts). */
export function DocsPage(props: { doc: Doc; locale: Locale; t: T }) {
  const { doc, t } = props;
  return (
    <Layout locale={props.locale} t={t} title={t("docs.title")} path="/docs">
      <h1>{t("docs.title")}</h1>
      {/* The OpenAPI document is written in English: its texts are marked so (readers and translators know). */}
      <p lang="en">{doc.info.description}</p>
      <p>{t("docs.intro")} <a href="/openapi.json">/openapi.json</a>. {t("docs.errors")}</p>
      {Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => (
          <section class="op" id={op.operationId}>
            <h2 class="op-title"><span class="method" translate="no">{method}</span> <code translate="no">{path}</code></h2>
            <p><span lang="en">{op.summary}</span>{op.security ? ` — ${t("docs.auth")}` : ""}</p>
            {op.parameters?.length ? (
              <details><summary>{t("docs.parameters")}</summary>
                <table>{op.parameters.map((p: any) => (
                  <tr><td><code translate="no">{p.name}</code></td><td translate="no">{p.in}</td><td><code translate="no">{JSON.stringify(p.schema)}</code></td></tr>
                ))}</table>
              </details>
            ) : null}
            {op.requestBody ? <p>{t("docs.body")}{colon(props.locale)}<code translate="no">{op.requestBody.content["application/json"].schema.$ref.split("/").pop()}</code></p> : null}
            <p>{t("docs.responses")}{colon(props.locale)}{Object.keys(op.responses).join(", ")}</p>
          </section>
        )))}
      <h2>{t("docs.schemas")}</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => (
        <details id={`schema-${name}`}><summary><code translate="no">{name}</code></summary><pre translate="no">{JSON.stringify(schema, null, 2)}</pre></details>
      ))}
    </Layout>
  );
}
