// npm run bench:concurrency — the embedded default under ordinary use. In one run:
//   1. cold first start of a fresh clone (install excluded): `git clone` of this checkout, node_modules linked,
//      `npm start` until /healthz answers (build, cluster initialisation, migrations, taxonomy, demo city);
//   2. on that server, a 7th visitor loads /search?q=… pages in a loop, first while nobody else uses the app
//      (idle), then while 6 people type into the skill picker (a /skills/suggest request every 150 ms each);
//   3. the wall time of `npm test` in this checkout.
// Prints the search p50/p95 idle and while typing side by side (target: typing p95 ≤ 2 × idle p95, 0 errors),
// and ends with one line of JSON. Options: --seconds N (typing phase, default 20), --skip-test, --url BASE (use a
// server that already runs instead of the fresh clone; no cold start then).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../lib/servers";

const argValue = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const TYPING_SECONDS = argValue("--seconds", 20);
const IDLE_SECONDS = TYPING_SECONDS;
const TYPISTS = 6;
const KEYSTROKE_MS = 150;
const SKIP_TEST = process.argv.includes("--skip-test");
const GIVEN_URL = process.argv.includes("--url") ? process.argv[process.argv.indexOf("--url") + 1] : undefined;

type Taxonomy = { skills: { source: string; de: string; en: string }[] };
const taxonomy = JSON.parse(fs.readFileSync("db/seed/taxonomy.json", "utf8")) as Taxonomy;
const labels = taxonomy.skills.filter((skill) => skill.source !== "occupation").flatMap((skill) => [skill.de, skill.en]);
// Deterministic variety: every search URL differs within a phase, so the page micro-cache does not answer.
const searchWords = labels.filter((label) => label.length >= 5).map((label) => label.split(/\s+/)[0]!.toLowerCase());
const typedWords = labels.filter((label) => label.length >= 6 && label.length <= 18);

function percentile(values: number[], p: number) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timedGet(url: string) {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { ms: performance.now() - started, ok: response.ok };
}

async function coldStart(): Promise<{ seconds: number; url: string; server: ChildProcess; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-bench-clone-"));
  fs.chmodSync(dir, 0o755);
  const clone = path.join(dir, "app");
  console.log(`Cloning this checkout into ${clone} (node_modules linked, install excluded from the timing) …`);
  execFileSync("git", ["clone", "--quiet", process.cwd(), clone]);
  fs.symlinkSync(path.resolve("node_modules"), path.join(clone, "node_modules"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawn("npm", ["start"], {
    cwd: clone,
    env: { ...process.env, PORT: String(port), APP_URL: url, DATABASE_URL: "", MEILI_HOST: "", RESEND_API_KEY: "", WORKERS: "on" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = fs.createWriteStream(path.join(dir, "server.log"));
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}; see ${path.join(dir, "server.log")}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    url,
    server,
    cleanup: async () => {
      // SIGTERM to npm's process group: the app closes its pool and stops the embedded PostgreSQL
      process.kill(-server.pid!, "SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The 7th visitor: search pages one after another until `until`. */
async function searchLoop(base: string, until: number, offset: number) {
  const times: number[] = [];
  let errors = 0;
  for (let i = offset; performance.now() < until; i++) {
    const word = searchWords[(i * 7919) % searchWords.length]!;
    try {
      const { ms, ok } = await timedGet(`${base}/search?q=${encodeURIComponent(word)}`);
      if (ok) times.push(ms);
      else errors++;
    } catch {
      errors++;
    }
  }
  return { times, errors };
}

/** One person typing skills letter by letter, a suggest request every KEYSTROKE_MS. */
async function typist(base: string, person: number, until: number) {
  const times: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  for (let w = person; performance.now() < until; w += TYPISTS) {
    const word = typedWords[(w * 104729) % typedWords.length]!;
    for (let n = 2; n <= word.length && performance.now() < until; n++) {
      const url = `${base}/skills/suggest?q=${encodeURIComponent(word.slice(0, n))}&lang=de`;
      // a browser does not wait for the answer before the next keystroke
      pending.push(
        timedGet(url).then(
          ({ ms, ok }) => void (ok ? times.push(ms) : errors++),
          () => void errors++,
        ),
      );
      await sleep(KEYSTROKE_MS);
    }
  }
  await Promise.all(pending);
  return { times, errors };
}

async function main() {
  const cold = GIVEN_URL ? { seconds: NaN, url: GIVEN_URL, cleanup: async () => {} } : await coldStart();
  console.log(`Cold first start of a fresh clone: ${cold.seconds.toFixed(1)} s`);
  try {
    // warm-up: the first requests load route modules and fill PostgreSQL's caches
    await searchLoop(cold.url, performance.now() + 3_000, 10_000);

    console.log(`Idle: one visitor searches for ${IDLE_SECONDS} s …`);
    const idle = await searchLoop(cold.url, performance.now() + IDLE_SECONDS * 1000, 0);

    console.log(
      `Typing: ${TYPISTS} people type skills (a suggest request every ${KEYSTROKE_MS} ms each) for ${TYPING_SECONDS} s while the visitor searches …`,
    );
    const until = performance.now() + TYPING_SECONDS * 1000;
    const [busy, ...typists] = await Promise.all([
      searchLoop(cold.url, until, 5_000),
      ...Array.from({ length: TYPISTS }, (_, person) => typist(cold.url, person, until)),
    ]);
    const suggestTimes = typists.flatMap((t) => t.times);
    const errors = idle.errors + busy.errors + typists.reduce((sum, t) => sum + t.errors, 0);

    const row = (name: string, times: number[]) =>
      `${name.padEnd(28)} ${String(times.length).padStart(7)} ${percentile(times, 50)!.toFixed(1).padStart(9)} ${percentile(times, 95)!.toFixed(1).padStart(9)}`;
    console.log("");
    console.log(`${"".padEnd(28)} ${"requests".padStart(7)} ${"p50 ms".padStart(9)} ${"p95 ms".padStart(9)}`);
    console.log(row("search, nobody typing", idle.times));
    console.log(row("search, 6 people typing", busy.times));
    console.log(row("skill suggest (typing)", suggestTimes));
    const idleP95 = percentile(idle.times, 95);
    const typingP95 = percentile(busy.times, 95);
    const ratio = typingP95! / idleP95!;
    console.log(`\nsearch p95 typing / idle = ${ratio.toFixed(2)} (target ≤ 2), errors ${errors} (target 0)`);

    let testSeconds: number | null = null;
    if (!SKIP_TEST) {
      await cold.cleanup();
      console.log("\nTiming npm test in this checkout …");
      const started = performance.now();
      execFileSync("npm", ["test", "--silent"], { stdio: "ignore", env: { ...process.env, DATABASE_URL: "" } });
      testSeconds = (performance.now() - started) / 1000;
      console.log(`npm test: ${testSeconds.toFixed(1)} s`);
    }
    console.log(
      JSON.stringify({
        bench: "concurrency",
        search_p95_idle_ms: Number(idleP95!.toFixed(1)),
        search_p95_typing_ms: Number(typingP95!.toFixed(1)),
        ratio: Number(ratio.toFixed(2)),
        suggest_p95_ms: Number(percentile(suggestTimes, 95)!.toFixed(1)),
        errors,
        cold_start_s: Number(cold.seconds.toFixed(1)),
        npm_test_s: testSeconds === null ? null : Number(testSeconds.toFixed(1)),
      }),
    );
    if (SKIP_TEST) await cold.cleanup();
  } catch (error) {
    await cold.cleanup().catch(() => {});
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
