import fs from "node:fs";
import path from "node:path";
import { isAlive } from "./embedded-postgres.server";

/**
 * The address a running server uses in its links, kept in DATA_DIR while it runs, so a command started beside it
 * (`npm run digest:send`) writes the same links without repeating the server's PORT or APP_URL.
 */
const fileIn = (dataDir: string) => path.join(path.resolve(dataDir), "server.json");

export function recordServerAddress(dataDir: string, appUrl: string) {
  fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  fs.writeFileSync(fileIn(dataDir), JSON.stringify({ pid: process.pid, appUrl }));
}

export function forgetServerAddress(dataDir: string) {
  if (readRecord(dataDir)?.pid === process.pid) fs.rmSync(fileIn(dataDir), { force: true });
}

/** The APP_URL of the server running on this DATA_DIR, if one runs. */
export function runningServerAddress(dataDir: string): string | undefined {
  const record = readRecord(dataDir);
  return record && isAlive(record.pid) ? record.appUrl : undefined;
}

function readRecord(dataDir: string): { pid: number; appUrl: string } | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(fileIn(dataDir), "utf8")) as { pid: number; appUrl: string };
    return Number.isInteger(record.pid) && typeof record.appUrl === "string" ? record : undefined;
  } catch {
    return undefined;
  }
}
