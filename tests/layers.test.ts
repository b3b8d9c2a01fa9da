/**
 * The layering of app/, checked on every import: routes and server wiring sit on top, domain modules below them,
 * infrastructure (lib) at the bottom. Components and email templates take plain data and import no server module.
 *
 *   app/server  → modules, lib                        (boot, workers, HTTP server, page cache)
 *   app/routes  → modules, components, lib
 *   modules     → other modules, lib, emails           (never routes or server)
 *   emails      → lib (i18n), locales; no modules: templates take plain data
 *   lib         → lib, locales (strings are data)
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve("app");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The app folder an import lands in ("lib", "server", "modules/search", …), or undefined for packages. */
function target(file: string, specifier: string): string | undefined {
  let resolved: string;
  if (specifier.startsWith("~/")) resolved = path.join(APP, specifier.slice(2));
  else if (specifier.startsWith(".")) resolved = path.resolve(path.dirname(file), specifier);
  else return undefined;
  return path.relative(APP, resolved);
}

const layerOf = (relative: string) => {
  const [top, second] = relative.split(path.sep);
  return top === "modules" ? `modules/${second}` : top;
};

function imports(file: string) {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s+["']([^"']+)["']/g)].map((match) => match[1] as string);
}

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, (to: string) => boolean> = {
  lib: (to) => to === "lib" || to === "locales",
  emails: (to) => to === "lib" || to === "emails" || to === "locales",
  locales: (to) => to === "locales" || to === "lib",
  components: (to) => to === "components" || to === "lib" || to === "locales",
  modules: (to) => to.startsWith("modules/") || to === "lib" || to === "emails" || to === "locales",
  routes: (to) => to === "routes" || to.startsWith("modules/") || to === "components" || to === "lib" || to === "locales",
  server: (to) => to === "server" || to.startsWith("modules/") || to === "lib",
  app: () => true, // root.tsx, entry.server.tsx, routes.ts: the app's own entry points
};

describe("layering", () => {
  it("has no import that runs against the layers", () => {
    const against: string[] = [];
    for (const file of sourceFiles(APP)) {
      const from = layerOf(path.relative(APP, file));
      const rule = ALLOWED[from!.startsWith("modules/") ? "modules" : from!.includes(".") ? "app" : from!];
      if (!rule) {
        against.push(`${path.relative(APP, file)}: unknown folder`);
        continue;
      }
      for (const specifier of imports(file)) {
        const to = target(file, specifier);
        if (to === undefined || to.startsWith("..")) continue; // packages, and data outside app/ (db/seed)
        const toLayer = layerOf(to);
        // A component may import a module's browser-safe files (schemas, pure functions), never a .server file.
        if (from === "components" && toLayer!.startsWith("modules/")) {
          if (/\.server$/.test(to)) against.push(`${path.relative(APP, file)} → ${to}`);
          continue;
        }
        if (!rule(toLayer!)) against.push(`${path.relative(APP, file)} → ${to}`);
      }
    }
    expect(against).toEqual([]);
  });
});
