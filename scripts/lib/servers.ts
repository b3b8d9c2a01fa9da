// Servers the benchmarks and browser tests start for themselves.
import net from "node:net";
import { startThrowawayCluster } from "../../app/lib/embedded-postgres.server";

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
 * The PostgreSQL in DATABASE_URL, or else a throwaway embedded PostgreSQL in the temp folder that stop() removes.
 */
export async function postgresServer(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  console.log("DATABASE_URL is not set: starting a throwaway embedded PostgreSQL …");
  const cluster = await startThrowawayCluster(name);
  return { url: cluster.url, stop: cluster.stop };
}
