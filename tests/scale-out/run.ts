/**
 * npm run test:scale-out — what an operator relies on once the city outgrows one process: three instances of the
 * production build (`node scripts/start.mjs`, workers on, behind a proxy: TRUST_PROXY=true) started together on one
 * throwaway PostgreSQL, mail going to the Resend-like LOCAL STAND-IN (tests/stand-ins/resend.ts — not Resend; it
 * validates, rate-limits per team and refuses reused idempotency keys). Both digest schedules fire every minute on
 * every instance, so they coincide. Each check prints PASS/FAIL with its figures; the run ends with
 * "scale-out: N passed, N failed" and exits 1 on any failure. Set SKIP_BUILD=1 to reuse an existing build.
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { connect, useDatabase, type Sql } from "~/lib/db.server";
import { startThrowawayCluster } from "~/lib/embedded-postgres.server";
import { setEnvForTests } from "~/lib/env.server";
import { readMigrationFiles } from "~/lib/migrations.server";
import { freePort } from "../../scripts/lib/servers";
import { createPerson } from "../helpers/factories";
import { startResendStandIn, type ResendStandIn } from "../stand-ins/resend";

const INSTANCES = 3;
const CONCURRENT = 60;
const APP_URL = "https://nextleipzig.example";
const API_KEY = "re_scale_out_stand_in";
const LOGIN_LIMIT = 30;
const CONTACT_LIMIT = 10;
const FEED_LIMIT = 60;
const BROAD_POSTS = 1_100;
const LOGS = path.resolve("test-artifacts/scale-out");

type Instance = { url: string; process: ChildProcess; log: string[] };
type Check = { name: string; ok: boolean; detail: string };

const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string) {
  checks.push({ name, ok, detail });
  console.log(`${ok ? "PASS" : "FAIL"}  ${name} — ${detail}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ready` returns true; false after `seconds` (a bound on waiting for background work, not a speed target). */
async function eventually(ready: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await ready()) return true;
    await sleep(250);
  }
  return ready();
}

async function startInstance(index: number, databaseUrl: string, resendUrl: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child = spawn("node", ["scripts/start.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      SKIP_BUILD: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL,
      APP_SECRET: sharedSecret,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: "8",
      RESEND_API_KEY: API_KEY,
      RESEND_BASE_URL: resendUrl,
      MAIL_FROM: "NextLeipzig <hallo@nextleipzig.example>",
      MEILI_HOST: "",
      TRUST_PROXY: "true",
      WORKERS: "on",
      DEMO_DATA: "off",
      DIGEST_SCHEDULE: "* * * * *",
      DIGEST_DAILY_SCHEDULE: "* * * * *",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const file = fs.createWriteStream(path.join(LOGS, `instance-${index}.log`));
  for (const [stream, name] of [
    [child.stdout, "out"],
    [child.stderr, "err"],
  ] as const) {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        log.push(`${name}: ${line}`);
        file.write(`${name}: ${line}\n`);
      }
    });
  }
  return { url, process: child, log };
}

async function waitHealthy(instance: Instance) {
  const healthy = await eventually(async () => {
    if (instance.process.exitCode !== null)
      throw new Error(`instance at ${instance.url} exited with ${instance.process.exitCode}: ${instance.log.slice(-5).join(" | ")}`);
    try {
      return (await fetch(`${instance.url}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 120);
  if (!healthy) throw new Error(`instance at ${instance.url} did not become healthy`);
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}

async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: form(fields),
  });
}

/** Signs in as a person would, through the link in the email the stand-in received (read from the delivery log). */
async function signIn(sql: Sql, instances: Instance[], email: string, clientIp: string): Promise<string> {
  const requested = await post(`${instances[0]!.url}/login`, { email }, { "x-forwarded-for": clientIp });
  if (requested.status !== 302) throw new Error(`sign-in link for ${email}: HTTP ${requested.status}`);
  let token = "";
  const sent = await eventually(async () => {
    const [message] = await sql<{ text: string }[]>`
      select text from email_messages where to_address = ${email} and kind = 'login' and status = 'sent' order by id desc limit 1`;
    token = message ? (new URL(/https:\/\/\S+\/login\/verify\S*/.exec(message.text)?.[0] ?? APP_URL).searchParams.get("token") ?? "") : "";
    return Boolean(token);
  }, 60);
  if (!sent) throw new Error(`no sign-in email reached ${email}`);
  const verified = await post(`${instances[1]!.url}/login/verify`, { token }, { "x-forwarded-for": clientIp });
  const cookie = verified.headers.get("set-cookie")?.split(";")[0];
  if (verified.status !== 302 || !cookie) throw new Error(`signing in ${email}: HTTP ${verified.status}`);
  return cookie;
}

function statusCounts(responses: Response[]) {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

const outboxEmpty = (sql: Sql) => async () => (await sql<{ n: number }[]>`select count(*)::int as n from outbox_events`)[0]!.n === 0;

function totalOnPage(html: string): number | undefined {
  const found = /([\d.,\u202f ]+)\s+(?:Treffer|results?)\b/.exec(html);
  return found ? Number(found[1]!.replace(/[^\d]/g, "")) : undefined;
}

const sharedSecret = crypto.randomBytes(32).toString("hex");

async function main() {
  fs.mkdirSync(LOGS, { recursive: true });
  if (process.env.SKIP_BUILD !== "1") {
    console.log("Building the production bundle …");
    execSync("npx remix vite:build", { stdio: "inherit" });
  }
  const cluster = await startThrowawayCluster("scale-out");
  const resend: ResendStandIn = await startResendStandIn({ requestsPerSecond: 2, apiKey: API_KEY });
  const instances: Instance[] = [];
  const sql = connect(cluster.url, 5);
  try {
    // All three at once: migrations race on an empty database and must apply once.
    for (let index = 0; index < INSTANCES; index++) instances.push(await startInstance(index + 1, cluster.url, resend.url));
    await Promise.all(instances.map(waitHealthy));
    const applied = await sql<{ name: string; times: number }[]>`select name, count(*)::int as times from schema_migrations group by name`;
    const expected = readMigrationFiles().length;
    check(
      "migrations applied once while three instances started together",
      applied.length === expected && applied.every((row) => row.times === 1),
      `${applied.length} of ${expected} migrations recorded, none twice`,
    );

    // The driver writes setup rows through the app's own modules (the same code the routes call).
    setEnvForTests({ NODE_ENV: "test", DATABASE_URL: cluster.url, WORKERS: "off", RESEND_API_KEY: undefined, MEILI_HOST: undefined });
    useDatabase({ sql, mode: "postgres", description: "scale-out", close: async () => {} });

    // 1. Sign-in links per client: 60 concurrent requests from one address, spread over the instances.
    const loginResponses = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, n) =>
        post(`${instances[n % INSTANCES]!.url}/login`, { email: `limit-${n}@example.org` }, { "x-forwarded-for": "198.51.100.7" }),
      ),
    );
    const loginAccepted = loginResponses.filter((response) => response.status === 302).length;
    const [{ tokens }] = await sql<[{ tokens: number }]>`select count(*)::int as tokens from login_tokens where client_ip = '198.51.100.7'`;
    check(
      `sign-in links per client: ${CONCURRENT} concurrent over ${INSTANCES} instances, limit ${LOGIN_LIMIT}`,
      loginAccepted === LOGIN_LIMIT && tokens === LOGIN_LIMIT && loginResponses.every((r) => r.status === 302 || r.status === 429),
      `${loginAccepted} accepted, ${tokens} links stored, statuses ${JSON.stringify(statusCounts(loginResponses))}`,
    );

    // 2. Contact requests per sender and day.
    const sender = await createPerson({ displayName: "Sina Sender", skillsOffered: ["Holzbearbeitung"] }, { email: "sender@example.org" });
    const recipients = [];
    for (let n = 0; n < CONCURRENT; n++)
      recipients.push(await createPerson({ displayName: `Empfängerin ${n}` }, { email: `recipient-${n}@example.org` }));
    const senderCookie = await signIn(sql, instances, "sender@example.org", "198.51.100.20");
    const contactResponses = await Promise.all(
      recipients.map((recipient, n) =>
        post(
          `${instances[n % INSTANCES]!.url}/people/${recipient.id}/contact`,
          { message: "Hallo, hast du nächste Woche Zeit für ein Gespräch?" },
          { cookie: senderCookie },
        ),
      ),
    );
    const [{ requests }] = await sql<
      [{ requests: number }]
    >`select count(*)::int as requests from contact_requests where sender_id = ${sender.id}`;
    const contactAccepted = contactResponses.filter((response) => response.status === 302).length;
    check(
      `contact requests per sender: ${CONCURRENT} concurrent over ${INSTANCES} instances, limit ${CONTACT_LIMIT}`,
      contactAccepted === CONTACT_LIMIT &&
        requests === CONTACT_LIMIT &&
        contactResponses.every((r) => r.status === 302 || r.status === 409),
      `${contactAccepted} accepted, ${requests} stored, statuses ${JSON.stringify(statusCounts(contactResponses))}`,
    );

    // 3. Open-data feed per client: a fixed window of one minute, so the burst starts early in a minute.
    if (new Date().getSeconds() > 45) await sleep((61 - new Date().getSeconds()) * 1000);
    const feedResponses = await Promise.all(
      Array.from({ length: CONCURRENT * 2 }, (_, n) =>
        fetch(`${instances[n % INSTANCES]!.url}/feeds/posts.json`, { headers: { "x-forwarded-for": "198.51.100.8" } }),
      ),
    );
    const feedServed = feedResponses.filter((response) => response.status === 200).length;
    check(
      `feed requests per client: ${CONCURRENT * 2} concurrent over ${INSTANCES} instances, limit ${FEED_LIMIT} a minute`,
      feedServed === FEED_LIMIT && feedResponses.every((r) => r.status === 200 || r.status === 429),
      `${feedServed} served, statuses ${JSON.stringify(statusCounts(feedResponses))}`,
    );

    // 4. The search outbox applies every post once: posts written through the form on every instance.
    const titles = Array.from({ length: 30 }, (_, n) => `Werkbank Nummer ${n} zum Teilen`);
    const created = await Promise.all(
      titles.map((title, n) =>
        post(
          `${instances[n % INSTANCES]!.url}/posts/new`,
          {
            kind: n % 2 ? "need" : "offer",
            title,
            description: "Eine stabile Werkbank für Holzarbeiten in Plagwitz.",
            skills: "Holzbearbeitung",
            category: "equipment",
            location: "Plagwitz",
            exchangeMode: "volunteer",
          },
          { cookie: senderCookie },
        ),
      ),
    );
    await eventually(outboxEmpty(sql), 90);
    const [{ indexed }] = await sql<
      [{ indexed: number }]
    >`select count(*)::int as indexed from search_posts where title like 'Werkbank Nummer %'`;
    const [{ pending }] = await sql<[{ pending: number }]>`select count(*)::int as pending from outbox_events`;
    const findable = await Promise.all(
      instances.map(async (instance) =>
        totalOnPage(await (await fetch(`${instance.url}/search?q=Werkbank`, { headers: { cookie: senderCookie } })).text()),
      ),
    );
    check(
      "search outbox: 30 posts written over three instances, each indexed once and findable on every instance",
      created.every((response) => response.status === 302) &&
        indexed === titles.length &&
        pending === 0 &&
        findable.every((total) => total === titles.length),
      `created ${created.filter((r) => r.status === 302).length}, indexed ${indexed}, outbox left ${pending}, found per instance ${JSON.stringify(findable)}`,
    );

    // 5. Totals of a broad search agree on every instance after a new post.
    await sql`
      insert into posts (author_id, kind, title, description, category, district, is_remote, exchange_mode, expires_at, created_at)
      select ${sender.id}, case when n % 2 = 0 then 'offer' else 'need' end, 'Lastenrad Nummer ' || n, 'Ein Rad zum Teilen.',
             'equipment', 'Plagwitz', false, 'volunteer', now() + interval '30 days', now() - make_interval(mins => n)
      from generate_series(1, ${BROAD_POSTS}) n`;
    await sql`insert into outbox_events (topic, entity, entity_id) select 'search', 'post', id from posts where title like 'Lastenrad Nummer %'`;
    await eventually(outboxEmpty(sql), 120);
    const broadTotals = async () =>
      Promise.all(
        instances.map(async (instance) =>
          totalOnPage(await (await fetch(`${instance.url}/search?q=`, { headers: { cookie: senderCookie } })).text()),
        ),
      );
    const before = await broadTotals();
    const added = await post(
      `${instances[0]!.url}/posts/new`,
      {
        kind: "offer",
        title: "Noch ein Lastenrad für alle",
        description: "Ein weiteres Rad zum Teilen.",
        skills: "Holzbearbeitung",
        category: "equipment",
        location: "Plagwitz",
        exchangeMode: "volunteer",
      },
      { cookie: senderCookie },
    );
    await eventually(outboxEmpty(sql), 60);
    const after = await broadTotals();
    const expectedAfter = (before[0] ?? 0) + 1;
    check(
      "broad-search totals equal on every instance after a new post",
      added.status === 302 &&
        before.every((total) => total === before[0] && total !== undefined && total >= 1000) &&
        after.every((total) => total === expectedAfter),
      `before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    );

    // 6. Digests: weekly and daily fire together every minute on all three instances.
    const weekly = [];
    const daily = [];
    for (let n = 0; n < 8; n++) {
      weekly.push(
        await createPerson(
          { displayName: `Wochenleserin ${n}`, skillsSought: ["Holzbearbeitung"], digestFrequency: "weekly" },
          { email: `weekly-${n}@example.org` },
        ),
      );
      daily.push(
        await createPerson(
          { displayName: `Tagesleser ${n}`, skillsSought: ["Holzbearbeitung"], digestFrequency: "daily" },
          { email: `daily-${n}@example.org` },
        ),
      );
    }
    const readers = [...weekly, ...daily];
    await eventually(outboxEmpty(sql), 90);
    const everyReaderMailed = async () => {
      const [{ open }] = await sql<
        [{ open: number }]
      >`select count(*)::int as open from digests where status in ('planned', 'ready', 'sending')`;
      const [{ mailed }] = await sql<[{ mailed: number }]>`
        select count(distinct user_id)::int as mailed from digests where status = 'sent' and user_id = any(${readers.map((reader) => reader.id)}::bigint[])`;
      return open === 0 && mailed === readers.length;
    };
    await eventually(everyReaderMailed, 200);
    const digestSubject = /neues? Match|neue Matches|new match/;
    const digestsTo = (address: string) =>
      resend.delivered.filter((email) => email.to === address && digestSubject.test(email.subject)).length;
    const perReader = readers.map((reader) => digestsTo(reader.email));
    const [{ sentRows, periods }] = await sql<[{ sentRows: number; periods: number }]>`
      select count(*)::int as "sentRows", count(distinct (user_id, period, frequency))::int as periods from digests where status = 'sent'`;
    const deliveredDigests = resend.delivered.filter((email) => digestSubject.test(email.subject)).length;
    const frequencies = await sql<
      { frequency: string; n: number }[]
    >`select frequency, count(*)::int as n from digests where status = 'sent' group by frequency order by frequency`;
    check(
      "digests: both schedules coincide on three instances, every reader gets exactly one digest",
      perReader.every((count) => count === 1) && sentRows === periods && deliveredDigests === sentRows && frequencies.length === 2,
      `per reader ${JSON.stringify(perReader)}, sent rows ${sentRows} (${JSON.stringify(frequencies)}), delivered ${deliveredDigests}`,
    );
    const runs = await sql<{ sent: number; unfinished: number }[]>`
      select coalesce(sum(sent), 0)::int as sent, count(*) filter (where finished_at is null)::int as unfinished from digest_runs`;
    check(
      "digest runs count what they sent",
      runs[0]!.sent === sentRows,
      `runs report ${runs[0]!.sent} sent, ${sentRows} digests sent, ${runs[0]!.unfinished} runs unfinished`,
    );

    // 7. Mail as the provider saw it: nothing failed for good, the team's rate shared by all instances.
    const [{ failedMail }] = await sql<
      [{ failedMail: number }]
    >`select count(*)::int as "failedMail" from email_messages where status = 'failed'`;
    const tooMany = resend.requests.filter((request) => request.status === 429).length;
    check(
      "mail: no email failed for good, every request within the team's rate",
      failedMail === 0 && tooMany === 0,
      `${resend.requests.length} requests to the stand-in, ${tooMany} answered 429, ${failedMail} emails failed`,
    );
  } finally {
    await Promise.all(
      instances.map(
        (instance) =>
          new Promise<void>((resolve) => {
            if (instance.process.exitCode !== null) return resolve();
            instance.process.once("exit", () => resolve());
            instance.process.kill("SIGTERM");
          }),
      ),
    );
    await sql.end({ timeout: 5 });
    await resend.close();
    await cluster.stop();
  }

  // 8. The instances' own words: no error lines (stderr, or "error" on stdout) in any of them.
  const errorLines = instances.flatMap((instance, index) =>
    instance.log.filter((line) => line.startsWith("err: ") || /\berror\b/i.test(line)).map((line) => `instance ${index + 1} ${line}`),
  );
  check(
    "zero error lines in the three instances' logs",
    errorLines.length === 0,
    errorLines.length ? errorLines.slice(0, 5).join(" | ") : `logs in ${LOGS}`,
  );

  const failed = checks.filter((entry) => !entry.ok).length;
  console.log(`scale-out: ${checks.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log(`scale-out: ${checks.filter((entry) => entry.ok).length} passed, ${checks.filter((entry) => !entry.ok).length + 1} failed`);
  process.exit(1);
});
