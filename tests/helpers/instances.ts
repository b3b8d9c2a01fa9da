import { spawn, type ChildProcess } from "node:child_process";
import { db } from "~/lib/db.server";
import { createUser } from "./factories";

/** Starts tests/fixtures/mail-instance.ts as a process of its own: another instance on the same database. */
export function startInstance(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/mail-instance.ts"], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk) => (output.stdout += chunk));
  child.stderr?.on("data", (chunk) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    /** Resolves once the instance printed `line` (rejects if it exits first). */
    printed: (line: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.stdout.split("\n").includes(line)) resolve();
        };
        child.stdout?.on("data", check);
        check();
        void exited.then(() =>
          output.stdout.split("\n").includes(line) ? resolve() : reject(new Error(`instance exited before "${line}": ${output.stderr}`)),
        );
      }),
    go: () => child.stdin?.write("go\n"),
  };
}

/** Rendered digests ready to send, for people created here: a run with `plan: false` sends them. */
export async function insertReadyDigests(count: number, prefix: string) {
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = await createUser({ email: `${prefix}-${i}@example.org` });
    addresses.push(user.email);
    await db()`
      insert into digests (user_id, period, frequency, until, status, to_address, subject, html, text, headers)
      values (${user.id}, 'test-period', 'weekly', now(), 'ready', ${user.email}, 'Neue Matches', '<p>Neu</p>', 'Neu', '{}')`;
  }
  return addresses;
}

/** The most requests that arrived within any one second, from the stand-in's log. */
export function mostRequestsInOneSecond(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
