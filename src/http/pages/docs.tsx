import type { Locale, T } from "../../i18n/index.ts";
import { colon } from "./format.ts";
import { Layout } from "./layout.tsx";

type Doc = { info: { title: string; description: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

/** One row per field of a JSON Schema (nested objects and array items flattened into dot paths). */
type FieldRow = { path: string; type: string; required: boolean; description?: string };

function typeOf(s: any, schemas: Record<string, any>): string {
  if (!s || typeof s !== "object") return "";
  if (s.$ref) return String(s.$ref).split("/").pop() ?? "";
  if (s.enum) return s.enum.map((x: unknown) => JSON.stringify(x)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map((x: any) => typeOf(x, schemas)).join(" | ");
  const limits = [
    s.minLength !== undefined || s.maxLength !== undefined ? `${s.minLength ?? 0}–${s.maxLength ?? "∞"} chars` : "",
    s.minimum !== undefined || s.maximum !== undefined ? `${s.minimum ?? "−∞"}–${s.maximum ?? "∞"}` : "",
    s.format ? s.format : "", s.pattern ? `pattern ${s.pattern}` : "", s.default !== undefined ? `default ${JSON.stringify(s.default)}` : "",
  ].filter(Boolean).join(", ");
  const base = s.type === "array" ? `array of ${typeOf(s.items, schemas) || "values"}` : s.type === "object" && s.additionalProperties ? `object (language → ${typeOf(s.additionalProperties, schemas)})` : String(s.type ?? "");
  return limits ? `${base} (${limits})` : base;
}

export function fieldRows(schema: any, schemas: Record<string, any>, prefix = ""): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set<string>(schema?.required ?? []);
  for (const [name, s] of Object.entries<any>(schema?.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({ path, type: typeOf(s, schemas), required: required.has(name), description: s.description });
    if (s.type === "object" && s.properties) rows.push(...fieldRows(s, schemas, path));
    if (s.type === "array" && s.items?.type === "object" && s.items.properties) rows.push(...fieldRows(s.items, schemas, `${path}[]`));
  }
  return rows;
}

/** /docs: a readable rendering of the generated OpenAPI document (no external scripts). */
export function DocsPage(props: { doc: Doc; locale: Locale; t: T }) {
  const { doc, t } = props;
  const schemas = doc.components.schemas;
  const json = (x: unknown) => JSON.stringify(x, null, 2);
  return (
    <Layout locale={props.locale} t={t} title={t("docs.title")} path="/docs">
      <h1>{t("docs.title")}</h1>
      {/* The OpenAPI document is written in English: its texts are marked so (readers and translators know). */}
      <p lang="en">{doc.info.description}</p>
      <p>{t("docs.intro")} <a href="/openapi.json">/openapi.json</a>. {t("docs.errors")}</p>
      {Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => {
          const requestExample = op.requestBody?.content?.["application/json"]?.example;
          const responses = Object.entries<any>(op.responses);
          const responseExample = responses.map(([code, r]) => [code, Object.values<any>(r.content ?? {})[0]?.example] as const).find(([, ex]) => ex !== undefined);
          return (
            <section class="op" id={op.operationId}>
              <h2 class="op-title"><span class="method" translate="no">{method}</span> <code translate="no">{path}</code></h2>
              <p><span lang="en">{op.summary}</span>{op.security ? ` — ${t("docs.auth")}` : ""}</p>
              {op.parameters?.length ? (
                <details><summary>{t("docs.parameters")}</summary>
                  <table>{op.parameters.map((p: any) => (
                    <tr><td><code translate="no">{p.name}</code></td><td translate="no">{p.in}</td><td translate="no">{typeOf(p.schema, schemas)}</td><td lang="en">{p.description ?? ""}</td></tr>
                  ))}</table>
                </details>
              ) : null}
              {op.requestBody ? (
                <p>{t("docs.body")}{colon(props.locale)}<a href={`#schema-${op.requestBody.content["application/json"].schema.$ref.split("/").pop()}`}><code translate="no">{op.requestBody.content["application/json"].schema.$ref.split("/").pop()}</code></a></p>
              ) : null}
              {requestExample !== undefined ? <details><summary>{t("docs.requestExample")}</summary><pre translate="no">{json(requestExample)}</pre></details> : null}
              <p>{t("docs.responses")}{colon(props.locale)}{responses.map(([code]) => code).join(", ")}</p>
              {responseExample ? <details><summary>{t("docs.responseExample", { status: responseExample[0] })}</summary><pre translate="no">{json(responseExample[1])}</pre></details> : null}
            </section>
          );
        }))}
      <h2>{t("docs.schemas")}</h2>
      {Object.entries(schemas).map(([name, schema]) => {
        const rows = fieldRows(schema, schemas);
        return (
          <details id={`schema-${name}`}><summary><code translate="no">{name}</code>{schema.description ? <> — <span lang="en">{schema.description}</span></> : null}</summary>
            {rows.length ? (
              <div class="op"><table>
                <thead><tr><th scope="col">{t("docs.field")}</th><th scope="col">{t("docs.type")}</th><th scope="col">{t("docs.meaning")}</th></tr></thead>
                <tbody>{rows.map((r) => (
                  <tr><td><code translate="no">{r.path}</code>{r.required ? <> <span class="small">{t("docs.required")}</span></> : null}</td><td translate="no">{r.type}</td><td lang="en">{r.description ?? ""}</td></tr>
                ))}</tbody>
              </table></div>
            ) : null}
            <pre translate="no">{JSON.stringify(schema, null, 2)}</pre>
          </details>
        );
      })}
    </Layout>
  );
}
