/** The page a demo provider's "log in" link opens: the end of the demo journey, clearly marked as a demo. */
import { withLang, type View } from "./components.tsx";
import { Layout } from "./layout.tsx";

export function DemoLoginPage(props: View & { slug: string }) {
  const { locale, t } = props;
  return (
    <Layout locale={locale} t={t} title={t("demo.loginTitle")} path={`/demo/providers/${encodeURIComponent(props.slug)}/login`}>
      <p class="notice"><strong>{t("demo.badge")}</strong> · {t("demo.explain")}</p>
      <h1>{t("demo.loginTitle")}</h1>
      <p>{t("demo.loginText")}</p>
      <p><a class="btn" href={withLang("/", locale)}>{t("notFound.back")}</a></p>
    </Layout>
  );
}
