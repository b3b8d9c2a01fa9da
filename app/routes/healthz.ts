import { healthReport } from "~/modules/health/health.server";

export async function loader() {
  const report = await healthReport();
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
