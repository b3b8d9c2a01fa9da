// `npm start`: builds the app when the build is missing or older than the sources, then serves it with the
// database, migrations and background workers of app/server/boot.server.ts.
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.cwd();
const serverBuild = path.join(root, "build/server/index.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  if (!fs.existsSync(serverBuild)) return true;
  const built = fs.statSync(serverBuild).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, "app")), fs.statSync(path.join(root, "vite.config.ts")).mtimeMs);
  return sources > built;
}

if (process.env.SKIP_BUILD !== "1" && buildIsStale()) {
  console.log("Building the app (first start or changed sources) …");
  execSync("npx remix vite:build", { stdio: "inherit" });
}

const build = await import(pathToFileURL(serverBuild).href);
// The configuration check and the database come from the build, so server and routes share one client.
const { startServices, createHttpServer } = build.entry.module;
const services = await startServices();
const server = createHttpServer(build);
const { HOST, PORT, APP_URL } = build.entry.module.appConfig();

server.once("error", async (error) => {
  console.error(`Cannot listen on ${HOST}:${PORT}: ${error.message}`);
  await services.stop();
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  services.announce(APP_URL);
  console.log(`NextLeipzig is running at ${APP_URL} (listening on ${HOST}:${PORT})`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down …`);
  server.close();
  await services.stop();
  process.exit(0);
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
