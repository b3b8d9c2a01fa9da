// Servers the benchmarks and browser tests start for themselves.
import { execFileSync } from "node:child_process";
import net from "node:net";

/** A TCP port nothing listens on right now. */
export async function freePort() {
  return new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The PostgreSQL in DATABASE_URL, or else a throwaway server (scripts/pg-throwaway.sh) in /tmp that stop()
 * removes again.
 */
export function postgresServer(name: string): { url: string; stop: () => void } {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} };
  const dir = `/tmp/nl-${name}-pg-${process.pid}`;
  console.log("DATABASE_URL is not set: starting a throwaway PostgreSQL …");
  const url = execFileSync("scripts/pg-throwaway.sh", ["start", dir], { encoding: "utf8" }).trim().split("\n").pop() ?? "";
  return { url, stop: () => execFileSync("scripts/pg-throwaway.sh", ["stop", dir]) };
}
