/**
 * Background workers inside the server process. Each worker drains its queue (a table) in a loop, sleeps when
 * idle, backs off on errors and can be woken early with kickWorker(name) right after a commit.
 */
type WorkerOptions = {
  name: string;
  /** Processes one batch; returns how many items it handled (0 = idle). */
  runOnce: () => Promise<number>;
  idleMs?: number;
  maxBackoffMs?: number;
};

type RunningWorker = {
  options: WorkerOptions;
  wake: () => void;
  stopped: boolean;
  done: Promise<void>;
};

const workers = new Map<string, RunningWorker>();

export function startWorker(options: WorkerOptions) {
  if (workers.has(options.name)) return;
  let wake = () => {};
  const worker: RunningWorker = { options, wake: () => wake(), stopped: false, done: Promise.resolve() };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  worker.done = (async () => {
    let failures = 0;
    while (!worker.stopped) {
      try {
        const handled = await options.runOnce();
        failures = 0;
        if (handled === 0 && !worker.stopped) await sleep(options.idleMs ?? 2000);
      } catch (error) {
        failures += 1;
        const delay = Math.min(options.maxBackoffMs ?? 60_000, 500 * 2 ** failures);
        console.error(`[worker ${options.name}] ${error instanceof Error ? error.message : String(error)}; retry in ${delay} ms`);
        if (!worker.stopped) await sleep(delay);
      }
    }
  })();
  workers.set(options.name, worker);
}

export function kickWorker(name: string) {
  workers.get(name)?.wake();
}

export async function stopWorkers() {
  const running = [...workers.values()];
  for (const worker of running) {
    worker.stopped = true;
    worker.wake();
  }
  await Promise.all(running.map((worker) => worker.done));
  workers.clear();
}

export function runningWorkers(): string[] {
  return [...workers.keys()];
}
