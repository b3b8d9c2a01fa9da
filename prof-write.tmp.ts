import postgres from "postgres";
import { useDatabase } from "./app/lib/db.server";
import { recomputeAllMatches } from "./app/modules/matching/matching.server";
const sql = postgres(process.env.BENCH_URL!, { max: 1, onnotice: () => {} });
useDatabase({ sql, mode: "postgres", description: "bench", close: () => sql.end() });
let t = performance.now();
const r = await recomputeAllMatches(({ step, done, total }) => {
  if (step !== "write" || done === total || done % 200000 < 20000) { console.log(step, done, total, ((performance.now() - t) / 1000).toFixed(2)); }
});
console.log(r, ((performance.now() - t) / 1000).toFixed(2));
await sql.end();
