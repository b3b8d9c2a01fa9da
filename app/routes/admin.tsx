import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useT } from "~/components/i18n";
import { requireAdmin } from "~/modules/accounts/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export default function Admin() {
  const t = useT();
  return (
    <div>
      <h1>{t("admin.title")}</h1>
      <ul className="link-list">
        <li>
          <Link to="/admin/reports">{t("admin.reports")}</Link>
        </li>
        <li>
          <Link to="/admin/digests">{t("admin.digests")}</Link>
        </li>
        <li>
          <Link to="/admin/skills">{t("admin.skills")}</Link>
        </li>
      </ul>
    </div>
  );
}
