// npm run bench:load — the production server against a real PostgreSQL holding 20,000 people and 100,000 posts,
// driven by autocannon (50 connections, 30 s each) on the home page, search pages with varied queries and facets,
// post pages, and a bare route of the same server that returns a fixed text. Prints requests/s, p50/p95/p99 and
// errors for each; targets: no errors, no 5xx, search serves at least 10% of the bare route's requests/s (issue 17),
// post pages 15% (issue 16). The server runs with REQUEST_TIMING=on, so the same run prints where a request's time
// goes per route (SQL, loaders, render, queries per request; see app/lib/request-timing.server.ts) and the CPU
// each request costs in the server, in PostgreSQL and in autocannon itself.
// Uses DATABASE_URL, or starts a throwaway embedded PostgreSQL. BENCH_POSTS / BENCH_PEOPLE /
// BENCH_SECONDS shrink it for a quick look.
import { spawn } from "node:child_process";
import fs from "node:fs";
import autocannon from "autocannon";
import { openAppDatabase } from "../../app/server/boot.server";
import { currentDatabase, db } from "../../app/lib/db.server";
import { DISTRICTS, ROLES, CATEGORIES, EXCHANGE_MODES } from "../../app/lib/reference";
import { reindexSearch } from "../../app/modules/search/search.server";
import { recomputeAllMatches } from "../../app/modules/matching/matching.server";
import { emptyTimingTotals, type TimingTotals } from "../../app/lib/request-timing.server";
import { progressBar } from "../lib/cli";
import { freePort, postgresServer } from "../lib/servers";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = 50;

const database = await postgresServer("bench-load");
process.env.DATABASE_URL = database.url;
process.env.WORKERS = "off";
process.env.DEMO_DATA = "off";

async function prepareData() {
  const sql = db();
  const [{ count }] = await sql<[{ count: number }]>`select count(*)::int as count from posts where title like 'Bench:%'`;
  if (count >= POSTS) {
    console.log(`Reusing ${count} bench posts already in the database.`);
    return;
  }
  console.log(`Generating ${PEOPLE.toLocaleString("en")} people and ${POSTS.toLocaleString("en")} posts from the taxonomy …`);
  const skills = await sql<{ id: string }[]>`select id from skills where source in ('curated', 'esco') order by id`;
  const skillIds = skills.map((row) => Number(row.id));
  await sql`
    insert into users (email, locale)
    select 'bench-load-' || n || '@example.org', case when n % 4 = 0 then 'en' else 'de' end from generate_series(1, ${PEOPLE}) n
    on conflict (email) do nothing`;
  await sql`
    insert into profiles (user_id, display_name, role, bio, district, remote_ok, languages, digest_frequency)
    select u.id, 'Bench Person ' || u.id, (${ROLES as unknown as string[]}::text[])[1 + u.id % 5],
           'Ich arbeite gern mit anderen an Projekten in Leipzig.', (${DISTRICTS}::text[])[1 + u.id % ${DISTRICTS.length}],
           u.id % 3 = 0, '{de}', 'off'
    from users u where u.email like 'bench-load-%'
    on conflict (user_id) do nothing`;
  await sql`
    insert into profile_skills (user_id, direction, skill_id)
    select u.id, d.direction, (${skillIds}::bigint[])[1 + ((u.id * 7919 + d.k * 104729) % ${skillIds.length})]
    from users u cross join (values ('offer', 1), ('offer', 2), ('seek', 3)) d(direction, k)
    where u.email like 'bench-load-%'
    on conflict do nothing`;
  const bar = progressBar("Posts");
  const chunk = 10_000;
  for (let start = 0; start < POSTS; start += chunk) {
    await sql`
      with new_posts as (
        insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at, created_at)
        select a.id,
               case when n % 2 = 0 then 'offer' else 'need' end,
               'Bench: ' || case when n % 2 = 0 then 'Biete ' else 'Suche ' end || s.label_de || ' / ' || s.label_en,
               'Beitrag ' || n || ' über ' || s.label_de || '. We work on ' || s.label_en || ' in Leipzig and welcome help.',
               (${CATEGORIES as unknown as string[]}::text[])[1 + n % 6],
               case when n % 10 = 0 then null else (${DISTRICTS}::text[])[1 + n % ${DISTRICTS.length}] end,
               n % 10 = 0,
               (${EXCHANGE_MODES as unknown as string[]}::text[])[1 + n % 6],
               now() + interval '90 days',
               now() - make_interval(mins => (n % 100000)::int)
        from generate_series(${start + 1}::int, ${Math.min(POSTS, start + chunk)}::int) n
        join lateral (select id from users where email = 'bench-load-' || (1 + n % ${PEOPLE}) || '@example.org') a on true
        join lateral (select label_de, label_en from skills where id = (${skillIds}::bigint[])[1 + (n * 31 % ${skillIds.length})]) s on true
        returning id)
      insert into post_skills (post_id, skill_id, position)
      select p.id, (${skillIds}::bigint[])[1 + ((p.id * 31 + k * 7) % ${skillIds.length})], k from new_posts p cross join generate_series(0, 1) k
      on conflict do nothing`;
    bar.update(Math.min(POSTS, start + chunk), POSTS);
  }
  bar.stop();
  await sql`analyze`;
  console.log("Indexing search documents …");
  const reindexBar = progressBar("Reindex");
  await reindexSearch({ onProgress: ({ done, total }) => total && reindexBar.update(done, total) });
  reindexBar.stop();
  // The full match recompute takes minutes at this size; post pages then show their match section empty.
  if (process.env.BENCH_MATCHES === "1") {
    console.log("Computing matches …");
    await recomputeAllMatches();
  } else {
    console.log("Skipping the match recompute (BENCH_MATCHES=1 includes it).");
  }
}

type RouteResult = { rps: number; p50_ms: number; p95_ms: number; p99_ms: number; errors: number; non2xx: number; split: Split };

/** Means per request, in ms, as the server's /bench/timing reports them. */
type TimingSummary = { seconds: number; cpuMs: number; routes: Record<string, TimingTotals> };
type Split = {
  /** requests rendered by the route (not served from the page cache) and page-cache hits */
  rendered: number;
  cached: number;
  /** per rendered request, ms: every statement summed, the time any ran, the loaders, waiting for React, rendering */
  sql_ms: number;
  sql_wall_ms: number;
  queries: number;
  loaders_ms: number;
  render_queue_ms: number;
  render_ms: number;
  send_ms: number;
  total_ms: number;
  /** CPU per request (all requests), ms: the server process, PostgreSQL (every process of the cluster), autocannon */
  cpu_server_ms: number;
  cpu_postgres_ms: number;
  cpu_client_ms: number;
};

const TICK_MS = 1000 / 100; // /proc reports CPU time in clock ticks, 100 per second on Linux

/** CPU time (ms) of the PostgreSQL cluster: the postmaster with its reaped children, and every live child. */
function postgresCpuMs(postmasterPid: number) {
  const stat = (pid: string | number) => {
    try {
      // the command name (field 2) may contain spaces: split after its closing parenthesis
      const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return text.slice(text.lastIndexOf(")") + 2).split(" ");
    } catch {
      return undefined; // exited meanwhile
    }
  };
  let ticks = 0;
  const own = stat(postmasterPid);
  // fields after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15), counted from 1 = state
  if (own) ticks += Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const fields = stat(pid);
    if (fields && Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

async function drive(name: string, base: string, paths: () => string, postmasterPid: number): Promise<RouteResult> {
  process.stdout.write(`Load: ${name} (${CONNECTIONS} connections, ${SECONDS} s) … `);
  await fetch(`${base}/bench/timing?reset=1`);
  const postgresBefore = postgresCpuMs(postmasterPid);
  const clientBefore = process.cpuUsage();
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [{ setupRequest: (request) => ({ ...request, path: paths() }) }],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  const clientCpu = process.cpuUsage(clientBefore);
  const postgresMs = postgresCpuMs(postmasterPid) - postgresBefore;
  const timing = (await (await fetch(`${base}/bench/timing`)).json()) as TimingSummary;
  // the route's own entries: its Remix route id ("routes/search"), or "other" for the bare route outside Remix
  const renderedLabel = Object.keys(timing.routes).find((label) => label !== "cached") ?? "";
  const rendered = timing.routes[renderedLabel] ?? emptyTimingTotals();
  const cached = timing.routes.cached?.requests ?? 0;
  const all = Math.max(1, rendered.requests + cached);
  const split: Split = {
    rendered: rendered.requests,
    cached,
    sql_ms: rendered.sql,
    sql_wall_ms: rendered.sqlWall,
    queries: rendered.queries,
    loaders_ms: rendered.loaders,
    render_queue_ms: rendered.renderQueue,
    render_ms: rendered.render,
    send_ms: rendered.send,
    total_ms: rendered.total,
    cpu_server_ms: Number((timing.cpuMs / all).toFixed(2)),
    cpu_postgres_ms: Number((postgresMs / all).toFixed(2)),
    cpu_client_ms: Number(((clientCpu.user + clientCpu.system) / 1000 / all).toFixed(2)),
  };
  latencies.sort((a, b) => a - b);
  const percentile = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1));
  const output = {
    rps: Number(result.requests.average.toFixed(1)),
    p50_ms: percentile(0.5),
    p95_ms: percentile(0.95),
    p99_ms: percentile(0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    split,
  };
  console.log(`${output.rps} req/s`);
  return output;
}

await openAppDatabase({ quiet: true });
const serverProcess: { kill: () => void } = { kill: () => {} };
try {
  await prepareData();
  // The cluster's main process, whose children do the work: their CPU time is PostgreSQL's share.
  const [{ pid: backendPid }] = await db()<[{ pid: number }]>`select pg_backend_pid() as pid`;
  const postmasterPid = Number(fs.readFileSync(`/proc/${backendPid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
  const postIds = (await db()<{ id: string }[]>`select id from posts where title like 'Bench:%' order by random() limit 2000`).map(
    (row) => row.id,
  );
  const words = (
    await db()<{ label_de: string; label_en: string }[]>`select label_de, label_en from skills where source = 'curated' order by id`
  ).flatMap((row) => [row.label_de, row.label_en]);
  const typos = words.map((word) => (word.length > 6 ? word.slice(0, 3) + word.slice(4) : word));
  await currentDatabase()?.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn("node", ["scripts/start.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: base,
      WORKERS: "off",
      MAIL_TRANSPORT: "outbox",
      APP_SECRET: "bench-load-secret-0123456789-abcdefghijklmnop",
      REQUEST_TIMING: "on",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  serverProcess.kill = () => child.kill("SIGTERM");
  child.stderr.pipe(fs.createWriteStream("/tmp/nl-bench-load-server.log"));
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error("the server exited; see /tmp/nl-bench-load-server.log");
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (attempt > 600) throw new Error("server did not start");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  let counter = 0;
  const pick = <T>(items: T[]) => items[counter++ % items.length]!;
  const facets = [
    "",
    "&kind=offer",
    "&kind=need",
    "&category=equipment",
    "&district=Plagwitz",
    "&remote=1",
    "&exchange=volunteer",
    "&sort=newest",
  ];
  const searchPath = () => {
    const query = counter % 5 === 0 ? "" : encodeURIComponent(counter % 3 === 0 ? pick(typos) : pick(words));
    return `/search?q=${query}${pick(facets)}${counter % 7 === 0 ? "&page=2" : ""}`;
  };
  const routes: Record<string, RouteResult> = {};
  routes.bare = await drive("bare", base, () => "/bench/bare", postmasterPid);
  routes.home = await drive("home", base, () => "/", postmasterPid);
  routes.search = await drive("search", base, searchPath, postmasterPid);
  routes.post = await drive("post", base, () => `/posts/${pick(postIds)}`, postmasterPid);

  const errors = Object.values(routes).reduce((sum, route) => sum + route.errors + route.non2xx, 0);
  const searchVsBare = routes.search.rps / routes.bare.rps;
  const postVsBare = routes.post.rps / routes.bare.rps;
  console.log("");
  console.log("route      req/s     p50 ms   p95 ms   p99 ms   errors   non-2xx");
  for (const [name, route] of Object.entries(routes)) {
    console.log(
      `${name.padEnd(8)} ${String(route.rps).padStart(8)} ${String(route.p50_ms).padStart(9)} ${String(route.p95_ms).padStart(8)} ${String(route.p99_ms).padStart(8)} ${String(route.errors).padStart(8)} ${String(route.non2xx).padStart(9)}`,
    );
  }
  console.log("");
  console.log("Where a rendered request's time goes (ms per request; SQL sum = every statement, a transaction's begin and");
  console.log("commit included, with waiting for a pool connection; SQL wall = time any statement or transaction was open;");
  console.log("loaders include SQL wall; r.queue = waiting for the event loop before React began; CPU per request over all");
  console.log("requests, cached ones included):");
  const cell = (value: number | string, width: number) => String(value).padStart(width);
  console.log("route    rendered cached queries  SQL sum SQL wall loaders r.queue  render    send   total | CPU server postgres client");
  for (const [name, { split }] of Object.entries(routes)) {
    console.log(
      `${name.padEnd(8)}${cell(split.rendered, 9)}${cell(split.cached, 7)}${cell(split.queries, 8)}${cell(split.sql_ms, 9)}${cell(split.sql_wall_ms, 9)}${cell(split.loaders_ms, 8)}${cell(split.render_queue_ms, 8)}${cell(split.render_ms, 8)}${cell(split.send_ms, 8)}${cell(split.total_ms, 8)} |${cell(split.cpu_server_ms, 11)}${cell(split.cpu_postgres_ms, 9)}${cell(split.cpu_client_ms, 7)}`,
    );
  }
  console.log("");
  console.log(
    `search / bare: ${(searchVsBare * 100).toFixed(1)}% (target ≥ 10%), post / bare: ${(postVsBare * 100).toFixed(1)}% (target ≥ 15%), errors and 5xx: ${errors} (target 0)`,
  );
  console.log(
    JSON.stringify({
      bench: "load",
      routes: Object.fromEntries(
        Object.entries(routes).map(([name, route]) => [
          name,
          { rps: route.rps, p50_ms: route.p50_ms, p95_ms: route.p95_ms, p99_ms: route.p99_ms, errors: route.errors + route.non2xx },
        ]),
      ),
      errors,
      search_vs_bare: Number(searchVsBare.toFixed(4)),
      post_vs_bare: Number(postVsBare.toFixed(4)),
      split: Object.fromEntries(Object.entries(routes).map(([name, route]) => [name, route.split])),
    }),
  );
} finally {
  serverProcess.kill();
  await currentDatabase()
    ?.close()
    .catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await database.stop();
}
process.exit(0);
