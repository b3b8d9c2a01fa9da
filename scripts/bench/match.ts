// npm run bench:match — full match recompute at 10k and 100k posts on a real PostgreSQL, against the floor of
// one sequential read of all post-skill rows, plus the incremental update after one post changes.
// Uses DATABASE_URL (a server; databases nl_bench_match_* are created and dropped on it), or starts a
// throwaway embedded PostgreSQL and stops it afterwards. Not part of `npm test`.
import { postgresServer } from "../lib/servers";
import postgres from "postgres";
import { useDatabase } from "../../app/lib/db.server";
import { migrate } from "../../app/lib/migrations.server";
import { incrementalProfile, processMatchOutbox, recomputeAllMatches } from "../../app/modules/matching/matching.server";
import { enqueueChange } from "../../app/modules/outbox/outbox.server";
import { loadTaxonomySeed } from "../../app/modules/skills/taxonomy-seed.server";
import { LEIPZIG_DISTRICTS } from "../../app/lib/reference";

const SCALES = [
  { label: "10k", posts: 10_000, people: 2_000 },
  { label: "100k", posts: 100_000, people: 20_000 },
];
const INCREMENTAL_CHANGES = 50;
/**
 * Untimed updates first, as bench:search warms up too: the first updates on the worker's fresh connection pay once
 * for preparing each statement and loading the catalog caches (their times are printed apart).
 */
const INCREMENTAL_WARMUP = 10;
const SCAN_RUNS = 3;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

function databaseUrl(base: string, name: string) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { seconds: (performance.now() - started) / 1000, result };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/**
 * Generated from the taxonomy, set-based: people with a profile (role, Ortsteil, 0–5 offered and 0–3 sought
 * skills), posts by them (need or offer, 1–5 skills, a place, an exchange mode, created over the last 80
 * days). Skills are drawn from the ESCO and curated skills with a skew (index = n·u², u uniform), so a few
 * skills are very common — the top one is in about 2% of postings — and most are rare, as on a real board.
 */
async function generate(sql: postgres.Sql, posts: number, people: number) {
  const districts = Object.values(LEIPZIG_DISTRICTS).flat();
  await sql`select setseed(0.42)`;
  await sql`
    create table bench_skills as
    select (row_number() over (order by md5(id::text)) - 1)::int as idx, id from skills where source in ('esco', 'curated')`;
  const [{ n: skillCount }] = await sql<[{ n: number }]>`select count(*)::int as n from bench_skills`;
  await sql`
    insert into users (email, is_demo)
    select 'bench' || g || '@example.org', true from generate_series(1, ${people}) g`;
  await sql`
    insert into profiles (user_id, display_name, role, district, remote_ok, languages, is_demo, updated_at)
    select id, 'Person ' || id,
           (array['startup', 'scientist', 'artist', 'craftsperson', 'initiative'])[1 + floor(random() * 5)::int],
           (${districts}::text[])[1 + floor(random() * ${districts.length})::int],
           random() < 0.3, '{de}', true, now() - random() * interval '200 days'
    from users`;
  const pick = (alias: string) => sql`floor(power(${sql(alias)}, 2) * ${skillCount})::int`;
  await sql`
    insert into profile_skills (user_id, direction, skill_id)
    select distinct r.user_id, r.direction, s.id
    from (
      select u.id as user_id, d.direction, random() as u
      from users u
      cross join (values ('offer', 5), ('seek', 3)) as d (direction, most)
      cross join lateral generate_series(1, floor(random() * (d.most + 1))::int + (u.id * 0)::int) g
    ) r
    join bench_skills s on s.idx = ${pick("r.u")}`;
  await sql`
    insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at, is_demo, created_at)
    select a.id,
           case when random() < 0.5 then 'need' else 'offer' end,
           'Beitrag ' || g, 'Beschreibung', 'knowhow',
           case when r.remote then null else (${districts}::text[])[1 + floor(random() * ${districts.length})::int] end,
           r.remote,
           (array['paid', 'volunteer', 'barter', 'time_credits', 'coop_share', 'open'])[1 + floor(random() * 6)::int],
           now() + interval '60 days', true,
           -- posts arrive over the last 80 days in id order, as on the live site
           now() - (1 - g::float8 / ${posts}) * interval '80 days'
    from generate_series(1, ${posts}) g
    cross join lateral (select random() < 0.15 as remote, 1 + floor(random() * ${people})::int + (g * 0) as author) r
    join (select id, row_number() over (order by id) as n from users) a on a.n = r.author`;
  await sql`
    insert into post_skills (post_id, skill_id, position)
    select post_id, skill_id, (row_number() over (partition by post_id order by skill_id) - 1)::int
    from (
      select distinct p.id as post_id, s.id as skill_id
      from posts p
      cross join lateral (select random() as u from generate_series(1, 1 + floor(random() * 5)::int + (p.id * 0)::int)) r
      join bench_skills s on s.idx = ${pick("r.u")}
    ) x`;
  await sql`vacuum analyze`;
  const [counts] = await sql<{ posts: number; people: number; post_skills: number; profile_skills: number; top_skill_share: number }[]>`
    select (select count(*)::int from posts) as posts, (select count(*)::int from profiles) as people,
           (select count(*)::int from post_skills) as post_skills, (select count(*)::int from profile_skills) as profile_skills,
           (select max(c)::float8 / sum(c) from (select count(*) as c from post_skills group by skill_id) t) as top_skill_share`;
  return counts;
}

/** The floor: every posting read once, sequentially, into this process. */
async function sequentialScan(sql: postgres.Sql) {
  const runs: number[] = [];
  let rows = 0;
  for (let i = 0; i < SCAN_RUNS; i++) {
    const { seconds, result } = await timed(() => sql`select post_id, skill_id from post_skills`);
    rows = result.length;
    runs.push(seconds);
  }
  return { seconds: percentile(runs, 50), rows };
}

/** One post changes (its skills are replaced, as an edit would), then the match worker handles the event. */
async function incrementalUpdates(sql: postgres.Sql, changes: number, warmup: number) {
  const durations: number[] = [];
  const warmupDurations: number[] = [];
  incrementalProfile.steps.clear();
  const postIds = (
    await sql<{ id: string }[]>`
    select id from posts where status = 'open' order by md5(id::text) limit ${warmup + changes}`
  ).map((row) => row.id);
  for (const [position, postId] of postIds.entries()) {
    incrementalProfile.enabled = position >= warmup;
    await sql.begin(async (tx) => {
      await tx`update posts set updated_at = now() where id = ${postId}`;
      await tx`delete from post_skills where post_id = ${postId}`;
      await tx`
        insert into post_skills (post_id, skill_id, position)
        select ${postId}, id, (row_number() over () - 1)::int
        from (select id from bench_skills order by md5(id::text || ${postId} || 'edit') limit 3) s`;
      await enqueueChange(tx, "post", [postId]);
    });
    const { seconds, result: handled } = await timed(() => processMatchOutbox());
    if (handled !== 1) throw new Error(`expected one match event, handled ${handled}`);
    (position >= warmup ? durations : warmupDurations).push(seconds * 1000);
  }
  incrementalProfile.enabled = false;
  // where one update's time goes: the median of each statement, and what is left (compute, outbox, commit)
  const split: Record<string, number> = {};
  for (const [step, times] of incrementalProfile.steps) split[step] = Number(percentile(times, 50)!.toFixed(2));
  const statements = Object.values(split).reduce((sum, ms) => sum + ms, 0);
  split["rest (compute, outbox, commit)"] = Number(Math.max(0, percentile(durations, 50)! - statements).toFixed(2));
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), split, warmup: warmupDurations };
}

async function runScale(baseUrl: string, scale: (typeof SCALES)[number]) {
  const name = `nl_bench_match_${scale.label}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  // One connection: setseed() is per session, so the generated data is the same on every run.
  const sql = postgres(databaseUrl(baseUrl, name), { max: 1, onnotice: () => {} });
  try {
    await migrate(sql);
    await loadTaxonomySeed(sql);
    useDatabase({ sql, mode: "postgres", description: name, close: () => sql.end() });
    console.log(`[${scale.label}] generating ${scale.posts} posts and ${scale.people} people …`);
    const data = await generate(sql, scale.posts, scale.people);
    const scan = await sequentialScan(sql);
    console.log(`[${scale.label}] sequential read of ${scan.rows} post-skill rows: ${scan.seconds!.toFixed(3)} s`);
    console.log(`[${scale.label}] full recompute …`);
    let stepStarted = performance.now();
    const stepSeconds: Record<string, number> = {};
    const recompute = await timed(() =>
      recomputeAllMatches(({ step, done, total }) => {
        if (done < total) return;
        const now = performance.now();
        stepSeconds[step] = (now - stepStarted) / 1000;
        stepStarted = now;
      }),
    );
    console.log(
      `[${scale.label}] steps: ${Object.entries(stepSeconds)
        .map(([step, seconds]) => `${step} ${seconds.toFixed(2)} s`)
        .join(", ")}`,
    );
    console.log(`[${scale.label}] full recompute: ${recompute.seconds.toFixed(2)} s, ${recompute.result.matches} matches`);
    const incremental = await incrementalUpdates(sql, INCREMENTAL_CHANGES, INCREMENTAL_WARMUP);
    console.log(
      `[${scale.label}] incremental update p95: ${incremental.p95!.toFixed(1)} ms (untimed warm-up: ${incremental.warmup.map((ms) => ms.toFixed(1)).join(", ")} ms)`,
    );
    return {
      scale,
      data,
      scan,
      recompute: {
        seconds: recompute.seconds,
        readSeconds: stepSeconds.sides ?? 0,
        writeSeconds: stepSeconds.write ?? 0,
        ...recompute.result,
      },
      incremental,
    };
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

async function main() {
  const server = await postgresServer("bench-match");
  try {
    const results: Awaited<ReturnType<typeof runScale>>[] = [];
    for (const scale of SCALES) results.push(await runScale(server.url, scale));
    clearInterval(sampler);
    const [small, large] = results;
    const row = (label: string, value: (result: (typeof results)[number]) => string) =>
      `${label.padEnd(34)}${value(small!).padStart(14)}${value(large!).padStart(14)}`;
    console.log("");
    console.log(`${"".padEnd(34)}${"10k".padStart(14)}${"100k".padStart(14)}`);
    console.log(row("posts / people", (r) => `${r.data!.posts}/${r.data!.people}`));
    console.log(row("post-skill rows", (r) => String(r.data!.post_skills)));
    console.log(row("profile-skill rows", (r) => String(r.data!.profile_skills)));
    console.log(row("most common skill, share of rows", (r) => `${(r.data!.top_skill_share * 100).toFixed(1)} %`));
    console.log(row("sides (posts + profile sides)", (r) => String(r.recompute.sides)));
    console.log(row("candidate pairs scored", (r) => String(r.recompute.pairs)));
    console.log(row("matches stored", (r) => String(r.recompute.matches)));
    console.log(row("sequential read of post_skills", (r) => `${r.scan.seconds!.toFixed(3)} s`));
    console.log(row("full recompute", (r) => `${r.recompute.seconds.toFixed(2)} s`));
    console.log(row("recompute / sequential read", (r) => `${(r.recompute.seconds / r.scan.seconds!).toFixed(1)}×`));
    console.log(row("  read of all sides (read_s)", (r) => `${r.recompute.readSeconds.toFixed(2)} s`));
    console.log(row("  COPY + index builds (write_s)", (r) => `${r.recompute.writeSeconds.toFixed(2)} s`));
    console.log(
      row(
        "recompute / (read + write)",
        (r) => `${(r.recompute.seconds / (r.recompute.readSeconds + r.recompute.writeSeconds)).toFixed(2)}×`,
      ),
    );
    console.log(row(`incremental, 1 post (p50, n=${INCREMENTAL_CHANGES})`, (r) => `${r.incremental.p50!.toFixed(1)} ms`));
    console.log(row(`incremental, 1 post (p95, n=${INCREMENTAL_CHANGES})`, (r) => `${r.incremental.p95!.toFixed(1)} ms`));
    console.log("incremental, median per statement (ms):");
    for (const step of Object.keys(large!.incremental.split)) {
      console.log(row(`  ${step}`, (r) => (r.incremental.split[step] ?? 0).toFixed(2)));
    }
    console.log(`peak node RSS (PostgreSQL not included): ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
    const scalingRatio = large!.recompute.seconds / small!.recompute.seconds;
    const recomputeVsScan = large!.recompute.seconds / large!.scan.seconds!;
    const recomputeVsReadWrite = large!.recompute.seconds / (large!.recompute.readSeconds + large!.recompute.writeSeconds);
    const incrementalBudgetMs = (large!.recompute.seconds * 1000) / 1000;
    console.log(
      `targets: scaling ${scalingRatio.toFixed(1)} ≤ 12 ${scalingRatio <= 12 ? "met" : "MISSED"}; ` +
        `recompute ${recomputeVsReadWrite.toFixed(2)}× (read + write) ≤ 1.5 ${recomputeVsReadWrite <= 1.5 ? "met" : "MISSED"}; ` +
        `incremental p95 ${large!.incremental.p95!.toFixed(1)} ms ≤ ${incrementalBudgetMs.toFixed(1)} ms ${large!.incremental.p95! <= incrementalBudgetMs ? "met" : "MISSED"}`,
    );
    console.log(
      JSON.stringify({
        bench: "match",
        t10k_s: Number(small!.recompute.seconds.toFixed(3)),
        t100k_s: Number(large!.recompute.seconds.toFixed(3)),
        scaling_ratio: Number(scalingRatio.toFixed(2)),
        scan_s: Number(large!.scan.seconds!.toFixed(3)),
        recompute_vs_scan: Number(recomputeVsScan.toFixed(2)),
        read_s: Number(large!.recompute.readSeconds.toFixed(3)),
        write_s: Number(large!.recompute.writeSeconds.toFixed(3)),
        recompute_vs_read_write: Number(recomputeVsReadWrite.toFixed(2)),
        incremental_p95_ms: Number(large!.incremental.p95!.toFixed(2)),
        incremental_budget_ms: Number(incrementalBudgetMs.toFixed(2)),
        incremental_warmup_max_ms: Number(Math.max(...large!.incremental.warmup).toFixed(2)),
        incremental_split_ms: large!.incremental.split,
        peak_rss_mb: Number((peakRss / 1024 / 1024).toFixed(1)),
      }),
    );
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
