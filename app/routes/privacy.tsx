import { useT } from "~/components/i18n";

export default function Privacy() {
  const t = useT();
  return (
    <div className="narrow prose">
      <h1>{t("privacy.title")}</h1>
      <p>{t("privacy.body")}</p>
    </div>
  );
}
