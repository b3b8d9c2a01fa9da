import postgres from "postgres";
import { useDatabase } from "./app/lib/db.server";
import { processMatchOutbox } from "./app/modules/matching/matching.server";
import { enqueueChange } from "./app/modules/outbox/outbox.server";
const sql = postgres(process.env.BENCH_URL!, { max: 1, onnotice: () => {} });
useDatabase({ sql, mode: "postgres", description: "bench", close: () => sql.end() });
const ids = (await sql<{ id: string }[]>`select id from posts where status = 'open' order by md5(id::text) limit 5`).map((r) => r.id);
for (const id of ids) {
  await sql.begin((tx) => enqueueChange(tx, "post", [id]));
  const t = performance.now();
  await processMatchOutbox();
  console.log(id, (performance.now() - t).toFixed(1), "ms");
}
await sql.end();
