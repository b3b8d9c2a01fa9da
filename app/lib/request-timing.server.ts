/**
 * Where a request's time goes, for `npm run bench:load` (REQUEST_TIMING=on; off by default, and then nothing here
 * runs: the server mounts no middleware and the database client is not wrapped).
 *
 * Each request carries a RequestTiming in AsyncLocalStorage, so the database client can add to it without the
 * queries files knowing: every statement's duration (from the moment it is awaited, so a wait for a free pool
 * connection counts as SQL; a transaction's begin and commit count as statements), the time at least one statement
 * was running (overlapping statements in a Promise.all count once), and the number of statements. The HTTP
 * server marks when Remix takes over, the document render starts and React's shell is ready; the response's
 * Server-Timing header carries the split, and `summary()` adds up all requests per route for the benchmark.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import type postgres from "postgres";

export type RequestTiming = {
  startedAt: number;
  /** every statement's time, summed */
  sqlMs: number;
  /** time at least one statement was running */
  sqlWallMs: number;
  queries: number;
  inFlight: number;
  inFlightSince: number;
  /** performance.now() when Remix got the request, the document render was asked for, React began and finished the shell */
  remixAt?: number;
  renderAt?: number;
  renderWorkAt?: number;
  shellAt?: number;
  /** the Remix route that answered (its id), when a document was rendered */
  route?: string;
};

const store = new AsyncLocalStorage<RequestTiming>();

export function newRequestTiming(): RequestTiming {
  return { startedAt: performance.now(), sqlMs: 0, sqlWallMs: 0, queries: 0, inFlight: 0, inFlightSince: 0 };
}

/** Runs `next` (the rest of the request's handling) with `timing` as the current request's timing. */
export function runWithTiming<T>(timing: RequestTiming, next: () => T): T {
  return store.run(timing, next);
}

/** The current request's timing; undefined when timing is off or outside a request. */
export function currentTiming(): RequestTiming | undefined {
  return store.getStore();
}

export function markTiming(mark: "remixAt" | "renderAt" | "renderWorkAt" | "shellAt", timing = currentTiming()) {
  if (timing && timing[mark] === undefined) timing[mark] = performance.now();
}

function spanStarted(timing: RequestTiming, statements: number) {
  const now = performance.now();
  timing.queries += statements;
  if (timing.inFlight++ === 0) timing.inFlightSince = now;
  return now;
}

function spanEnded(timing: RequestTiming, startedAt: number, summed: boolean) {
  const now = performance.now();
  if (summed) timing.sqlMs += now - startedAt;
  if (--timing.inFlight === 0) timing.sqlWallMs += now - timing.inFlightSince;
}

/** postgres.js runs a statement when it is first awaited (then/catch); that is when its time starts. */
function timeQuery<Q>(query: Q): Q {
  const promise = query as unknown as PromiseLike<unknown>;
  const then = promise.then;
  let started = false;
  (promise as { then: unknown }).then = function (this: unknown, ...args: unknown[]) {
    if (!started) {
      started = true;
      const timing = currentTiming();
      if (timing) {
        const at = spanStarted(timing, 1);
        const end = () => spanEnded(timing, at, true);
        then.call(promise, end, end);
      }
    }
    return (then as (...rest: unknown[]) => unknown).apply(promise, args);
  };
  return query;
}

const isTemplate = (value: unknown) => Array.isArray(value) && Array.isArray((value as { raw?: unknown }).raw);

/**
 * The client (or a transaction) with every statement timed for the current request. Fragments are statements that
 * are never awaited, so they cost nothing. A transaction counts its begin and commit as two statements; its
 * statements are timed one by one, and the whole transaction keeps "SQL running" on for the wall time.
 */
export function timedSql<S extends postgres.Sql | postgres.TransactionSql>(sql: S): S {
  const transactional = (name: "begin" | "savepoint", target: S) => {
    const original = (target as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!.bind(target);
    return (...args: unknown[]) => {
      const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
      const timing = currentTiming();
      if (!timing) return original(...args, (tx: postgres.TransactionSql) => fn(timedSql(tx)));
      // The sum gets the transaction's own round trips (waiting for a connection and begin; commit), the wall time
      // all of it; its statements add themselves.
      const at = spanStarted(timing, name === "begin" ? 2 : 1);
      let callbackEnded = at;
      const run = original(...args, (tx: postgres.TransactionSql) => {
        timing.sqlMs += performance.now() - at;
        const returned = fn(timedSql(tx));
        // postgres.js runs an array of statements as a pipeline and resolves to their results
        const result = Array.isArray(returned) ? Promise.all(returned) : Promise.resolve(returned);
        const ended = () => (callbackEnded = performance.now());
        result.then(ended, ended);
        return result;
      });
      const end = () => {
        timing.sqlMs += performance.now() - callbackEnded;
        spanEnded(timing, at, false);
      };
      run.then(end, end);
      return run;
    };
  };
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const result: unknown = Reflect.apply(target as unknown as (...rest: unknown[]) => unknown, thisArg, args);
      return isTemplate(args[0]) ? timeQuery(result) : result;
    },
    get(target, key) {
      if ((key === "begin" || key === "savepoint") && key in target) return transactional(key, target);
      if (key === "unsafe") return (...args: unknown[]) => timeQuery((target.unsafe as (...rest: unknown[]) => unknown)(...args));
      return Reflect.get(target, key, target) as unknown;
    },
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The phases of one finished request, in milliseconds. */
export function timingPhases(timing: RequestTiming, finishedAt = performance.now()) {
  const remixAt = timing.remixAt ?? finishedAt;
  const renderAt = timing.renderAt ?? finishedAt;
  const renderWorkAt = timing.renderWorkAt ?? renderAt;
  const shellAt = timing.shellAt ?? renderWorkAt;
  return {
    total: finishedAt - timing.startedAt,
    /** express middleware before Remix (security headers, limits, compression, page cache) */
    before: Math.max(0, remixAt - timing.startedAt),
    /** Remix matching and the loaders (SQL included) until the document render is asked for */
    loaders: Math.max(0, renderAt - remixAt),
    /** the render was asked for but React had not begun (other requests' work on the event loop) */
    renderQueue: Math.max(0, renderWorkAt - renderAt),
    /** React rendering the shell, which holds the whole page here */
    render: Math.max(0, shellAt - renderWorkAt),
    /** streaming the rest (the loader data for hydration) and writing the response */
    send: timing.shellAt === undefined ? 0 : Math.max(0, finishedAt - shellAt),
    sql: timing.sqlMs,
    sqlWall: timing.sqlWallMs,
    queries: timing.queries,
  };
}

/** The Server-Timing header value (durations so far, in ms): sent with the response's headers, before its body. */
export function serverTimingHeader(timing: RequestTiming) {
  const phases = timingPhases(timing);
  return [
    `sql;dur=${round(phases.sql)}`,
    `sql-wall;dur=${round(phases.sqlWall)}`,
    `queries;desc="${phases.queries}"`,
    `loaders;dur=${round(phases.loaders)}`,
    `render-queue;dur=${round(phases.renderQueue)}`,
    `render;dur=${round(phases.render)}`,
    `total;dur=${round(phases.total)}`,
  ].join(", ");
}

type Phases = ReturnType<typeof timingPhases>;
/** One route's sums (or, in a summary, means per request) of every phase, with its request count. */
export type TimingTotals = { requests: number } & Phases;

/** A route no request has reached yet. */
export function emptyTimingTotals(): TimingTotals {
  return { requests: 0, total: 0, before: 0, loaders: 0, renderQueue: 0, render: 0, send: 0, sql: 0, sqlWall: 0, queries: 0 };
}

/** Sums of finished requests per route (Remix route id, "cached" for page-cache hits, "other"), for the benchmark. */
export function createTimingTotals() {
  let totals = new Map<string, TimingTotals>();
  let cpuSince = process.cpuUsage();
  let since = performance.now();
  return {
    record(label: string, phases: Phases) {
      const entry = totals.get(label) ?? emptyTimingTotals();
      entry.requests++;
      for (const key of Object.keys(phases) as (keyof Phases)[]) entry[key] += phases[key];
      totals.set(label, entry);
    },
    reset() {
      totals = new Map();
      cpuSince = process.cpuUsage();
      since = performance.now();
    },
    /** Per route: requests and the mean of every phase per request (ms); and this process's CPU since the reset. */
    summary() {
      const cpu = process.cpuUsage(cpuSince);
      const routes = Object.fromEntries(
        [...totals].map(([label, { requests, ...sums }]) => [
          label,
          { requests, ...Object.fromEntries(Object.entries(sums).map(([key, sum]) => [key, round(sum / requests)])) },
        ]),
      );
      return { seconds: round((performance.now() - since) / 1000), cpuMs: round((cpu.user + cpu.system) / 1000), routes };
    },
  };
}
