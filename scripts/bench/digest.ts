// npm run bench:digest — sends the weekly digest to BENCH_PEOPLE (default 100,000) people who all have new
// matches, through the local Resend stand-in (its own process) at 2 requests/s × 100 emails = 200 emails/s, and
// prints emails per second against that ceiling, peak memory, duplicates and missing recipients.
// Runs on DATABASE_URL, or starts a throwaway embedded PostgreSQL when unset.
import { spawn } from "node:child_process";
import readline from "node:readline";
import { openAppDatabase } from "../../app/server/boot.server";
import { currentDatabase, db } from "../../app/lib/db.server";
import { ResendTransport } from "../../app/lib/mail-transport.server";
import { runDigests } from "../../app/modules/digest/digest.server";
import { progressBar } from "../lib/cli";
import { postgresServer } from "../lib/servers";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const RATE = 2;
const CEILING = RATE * 100;

const database = await postgresServer("bench-digest");
process.env.DATABASE_URL = database.url;
process.env.WORKERS = "off";
process.env.DEMO_DATA = "off";
process.env.APP_URL ??= "https://nextleipzig.example";

const standInProcess = spawn("npx", ["tsx", "tests/stand-ins/resend.ts", String(RATE)], { stdio: ["ignore", "pipe", "inherit"] });
const standIn = await new Promise<{ url: string; stats: string }>((resolve) => {
  readline.createInterface({ input: standInProcess.stdout }).once("line", (line) => resolve(JSON.parse(line)));
});

try {
  await openAppDatabase({ quiet: true });
  const sql = db();
  console.log(`Preparing ${PEOPLE.toLocaleString("en")} people with new matches …`);
  await sql`truncate digests, digest_runs, matches restart identity cascade`;
  await sql`delete from users where email like 'bench-digest-%'`;
  const [skill] = await sql<{ id: string }[]>`select id from skills where slug = 'holzbau'`;
  await sql`
    insert into users (email, locale)
    select 'bench-digest-' || n || '@example.org', case when n % 3 = 0 then 'en' else 'de' end from generate_series(1, ${PEOPLE}) n`;
  await sql`
    insert into profiles (user_id, display_name, role, district, digest_frequency)
    select id, 'Bench Person ' || id, 'craftsperson', 'Plagwitz', 'weekly' from users where email like 'bench-digest-%'`;
  // Every person has two new person↔person matches: they seek what the next offers, and offer what the previous seeks.
  await sql`
    insert into matches (need_user_id, need_person_id, offer_user_id, offer_person_id, score, mutual, reasons)
    select u.id, u.id, coalesce(lead(u.id) over (order by u.id), first_value(u.id) over (order by u.id)),
           coalesce(lead(u.id) over (order by u.id), first_value(u.id) over (order by u.id)), 1.5, false,
           ${sql.json({ shared: [Number(skill!.id)], near: [], place: "district", district: "Plagwitz", borough: "Südwest", roles: null, exchange: null })}
    from users u where u.email like 'bench-digest-%'`;
  await sql`analyze`;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const bar = progressBar("Sending digests");
  const started = performance.now();
  const result = await runDigests({
    trigger: "bench",
    frequencies: ["weekly"],
    transport: new ResendTransport("re_bench_key", standIn.url),
    requestsPerSecond: RATE,
    onProgress: (counts) => bar.update(counts.sent, PEOPLE),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  bar.stop();
  if (!result.ran) throw new Error("another digest run held the lock");

  const stats = (await (await fetch(standIn.stats)).json()) as {
    delivered: number;
    recipients: number;
    duplicates: number;
    rateLimited: number;
  };
  const emailsPerSecond = result.sent / seconds;
  const peakRssMb = peakRss / 1024 / 1024;
  const missing = PEOPLE - stats.recipients;
  console.log("");
  console.log("                      measured        target / ceiling");
  console.log(
    `emails per second     ${emailsPerSecond.toFixed(1).padStart(8)}        ${CEILING} ceiling (≥ ${(CEILING * 0.95).toFixed(0)} = 95%)`,
  );
  console.log(`share of ceiling      ${((emailsPerSecond / CEILING) * 100).toFixed(1).padStart(7)}%        ≥ 95%`);
  console.log(`peak RSS              ${peakRssMb.toFixed(0).padStart(6)} MB        ≤ 300 MB`);
  console.log(
    `sent / delivered      ${result.sent} / ${stats.delivered}   duplicates ${stats.duplicates}   missing ${missing}   429s ${stats.rateLimited}`,
  );
  console.log(`wall time             ${seconds.toFixed(1)} s for ${PEOPLE} people`);
  console.log(
    JSON.stringify({
      bench: "digest",
      people: PEOPLE,
      emails_per_s: Number(emailsPerSecond.toFixed(2)),
      ceiling_per_s: CEILING,
      share_of_ceiling: Number((emailsPerSecond / CEILING).toFixed(4)),
      peak_rss_mb: Number(peakRssMb.toFixed(1)),
      duplicates: stats.duplicates,
      missing,
    }),
  );
} finally {
  standInProcess.kill();
  await db()`delete from users where email like 'bench-digest-%'`.catch(() => {});
  await currentDatabase()?.close();
  await database.stop();
}
process.exit(0);
