// `npm run dev`: the app with Vite's hot reload, on the same database, workers and HTTP server as `npm start`
// (embedded PostgreSQL unless DATABASE_URL is set). Edits to routes and components reload in the browser; the
// database, its migrations and the workers start once.
import { createServer } from "vite";

process.env.NODE_ENV ??= "development";
process.env.NL_VITE_DEV = "1";
// Pages change with every edit: no micro-cache while developing.
process.env.PAGE_CACHE_SECONDS ??= "0";

const vite = await createServer({ server: { middlewareMode: true }, appType: "custom" });
// Vite exits the process on SIGTERM as soon as it has closed itself; we stop the database and workers first.
process.removeAllListeners("SIGTERM");
const loadBuild = () => vite.ssrLoadModule("virtual:remix/server-build");
const { entry } = await loadBuild();
const { startServices, createHttpServer, appConfig } = entry.module;
const services = await startServices();
const server = createHttpServer(loadBuild, { devMiddleware: vite.middlewares });
const { HOST, PORT, APP_URL } = appConfig();

server.once("error", async (error) => {
  console.error(`Cannot listen on ${HOST}:${PORT}: ${error.message}`);
  await services.stop();
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  services.announce(APP_URL);
  console.log(`NextLeipzig (development, hot reload) at ${APP_URL}`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down …`);
  server.close();
  await services.stop();
  await vite.close();
  process.exit(0);
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
