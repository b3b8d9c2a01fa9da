// npm run bench:suggest — the skill picker's suggestions at the full taxonomy (72k labels, German and English), as a
// person types: for 300 labels drawn evenly from the taxonomy, every prefix from 2 letters on, plus each label
// with one letter dropped (a typo), each answered by suggestSkills (the route's whole work: normalisation, the
// prefix/word-prefix/trigram statement, labels). Sequential, after a warm-up; in the same run, a bare
// `select 1` round trip on the same pool is the floor. Target (issue 18): p95 ≤ 20 ms. Uses DATABASE_URL or a
// throwaway embedded PostgreSQL. Ends with one line of JSON.
import fs from "node:fs";
import { connect, useDatabase } from "../../app/lib/db.server";
import { setEnvForTests } from "../../app/lib/env.server";
import { migrate } from "../../app/lib/migrations.server";
import { suggestSkills } from "../../app/modules/skills/skills.server";
import { loadTaxonomySeed } from "../../app/modules/skills/taxonomy-seed.server";
import { postgresServer } from "../lib/servers";

const LABELS = 300;

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const database = await postgresServer("bench-suggest");
setEnvForTests({ NODE_ENV: "test", DATABASE_URL: database.url, WORKERS: "off" });
const sql = connect(database.url, 10);
useDatabase({ sql, mode: "postgres", description: "bench", close: () => sql.end() });
try {
  await migrate(sql);
  const seeded = await loadTaxonomySeed(sql);
  const [{ labels }] = await sql<[{ labels: number }]>`select count(*)::int as labels from skill_labels`;
  console.log(`Taxonomy: ${labels.toLocaleString("en")} labels${seeded.loaded ? " (loaded now)" : ""}`);

  type Taxonomy = { skills: { source: string; de: string; en: string }[] };
  const taxonomy = JSON.parse(fs.readFileSync("db/seed/taxonomy.json", "utf8")) as Taxonomy;
  const all = taxonomy.skills
    .filter((skill) => skill.source !== "occupation")
    .flatMap((skill) => [skill.de, skill.en])
    .filter((label) => label.length >= 4);
  const chosen = Array.from({ length: LABELS }, (_, n) => all[Math.floor((n * all.length) / LABELS)] as string);
  const typed: { text: string; locale: "de" | "en"; kind: "prefix" | "typo" }[] = [];
  chosen.forEach((label, n) => {
    const locale = n % 2 ? "en" : "de";
    for (let length = 2; length <= Math.min(label.length, 24); length++)
      typed.push({ text: label.slice(0, length), locale, kind: "prefix" });
    const drop = 1 + (n % Math.max(1, label.length - 2));
    typed.push({ text: label.slice(0, drop) + label.slice(drop + 1), locale, kind: "typo" });
  });

  for (const entry of typed.slice(0, 200)) await suggestSkills(entry.text, entry.locale); // warm-up
  const times: Record<"prefix" | "typo", number[]> = { prefix: [], typo: [] };
  let empty = 0;
  for (const entry of typed) {
    const started = performance.now();
    const found = await suggestSkills(entry.text, entry.locale);
    times[entry.kind].push(performance.now() - started);
    if (found.length === 0) empty += 1;
  }
  const floor: number[] = [];
  for (let n = 0; n < 2000; n++) {
    const started = performance.now();
    await sql`select 1`;
    floor.push(performance.now() - started);
  }

  const every = [...times.prefix, ...times.typo];
  const row = (name: string, values: number[]) =>
    `${name.padEnd(22)} ${String(values.length).padStart(7)} ${percentile(values, 50).toFixed(2).padStart(8)} ${percentile(values, 95).toFixed(2).padStart(8)} ${percentile(values, 99).toFixed(2).padStart(8)}`;
  console.log(`${"".padEnd(22)} ${"requests".padStart(7)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
  console.log(row("suggest, prefixes", times.prefix));
  console.log(row("suggest, one typo", times.typo));
  console.log(row("suggest, all", every));
  console.log(row("select 1 (the floor)", floor));
  const p95 = percentile(every, 95);
  console.log(
    `suggest p95 ${p95.toFixed(2)} ms (target ≤ 20 ms): ${p95 <= 20 ? "met" : "missed"}; ${empty} of ${every.length} keystrokes got no suggestion`,
  );
  console.log(
    JSON.stringify({
      bench: "suggest",
      labels,
      keystrokes: every.length,
      p50_ms: Number(percentile(every, 50).toFixed(2)),
      p95_ms: Number(p95.toFixed(2)),
      p99_ms: Number(percentile(every, 99).toFixed(2)),
      typo_p95_ms: Number(percentile(times.typo, 95).toFixed(2)),
      floor_p95_ms: Number(percentile(floor, 95).toFixed(2)),
      no_suggestion: empty,
    }),
  );
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
