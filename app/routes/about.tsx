import { useT } from "~/components/i18n";

export default function About() {
  const t = useT();
  return (
    <div className="narrow prose">
      <h1>{t("about.title")}</h1>
      <p>{t("about.body1")}</p>
      <p>{t("about.body2")}</p>
      <p lang="en">
        <strong>{t("footer.esco")}</strong>
      </p>
      <p lang="de">{t("footer.escoDe")}</p>
      <p>
        ESCO v1.2.0 · <a href="https://esco.ec.europa.eu/">esco.ec.europa.eu</a> ·{" "}
        <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>
      </p>
    </div>
  );
}
