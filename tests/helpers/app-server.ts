/**
 * The real HTTP server (createHttpServer: express, security headers, request limits, page cache, Remix) on a free
 * local port, over a server build assembled from app/routes.ts and the route modules vitest loads — the same
 * routes and entry as the Vite build, without building. Call after useTestDatabase() so the routes use the test
 * file's database and configuration.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll } from "vitest";
import routeConfig from "~/routes";
import * as entryServer from "~/entry.server";
import { createHttpServer } from "~/server/http-server.server";

type ConfigRoute = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; file: string; children?: ConfigRoute[] };

const routeModules = import.meta.glob("../../app/routes/*.{ts,tsx}");

async function loadModule(file: string) {
  if (file === "root.tsx") return import("~/root");
  const load = routeModules[`../../app/${file}`];
  if (!load) throw new Error(`route module ${file} not found`);
  return load();
}

/** A ServerBuild shaped like the one `remix vite:build` writes (assets manifest without client files). */
export async function assembleServerBuild(): Promise<ServerBuild> {
  const routes: ServerBuild["routes"] = {};
  const manifestRoutes: ServerBuild["assets"]["routes"] = {};
  async function add(route: ConfigRoute, parentId: string | undefined) {
    const id = route.id ?? route.file.replace(/\.[jt]sx?$/, "");
    const module = (await loadModule(route.file)) as ServerBuild["routes"][string]["module"];
    routes[id] = { id, parentId, path: route.path, index: route.index, caseSensitive: route.caseSensitive, module };
    manifestRoutes[id] = {
      id,
      parentId,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
      module: `/assets/${id}.js`,
      imports: [],
      hasAction: "action" in module,
      hasLoader: "loader" in module,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: "ErrorBoundary" in module,
    };
    for (const child of route.children ?? []) await add(child, id);
  }
  await add({ id: "root", path: "", file: "root.tsx" }, undefined);
  for (const route of routeConfig as ConfigRoute[]) await add(route, "root");
  return {
    mode: "production",
    entry: { module: entryServer as unknown as ServerBuild["entry"]["module"] },
    routes,
    assets: {
      entry: { module: "/assets/entry.client.js", imports: [] },
      routes: manifestRoutes,
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    basename: "/",
    isSpaMode: false,
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
    } as ServerBuild["future"],
  };
}

export type RunningApp = { url: string; server: Server };

/** Registers beforeAll/afterAll that start the HTTP server on 127.0.0.1 and stop it. */
export function useAppServer() {
  const holder = {} as RunningApp;
  beforeAll(async () => {
    const server = createHttpServer(await assembleServerBuild());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    holder.server = server;
    holder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    holder.server?.closeAllConnections();
    await new Promise((resolve) => holder.server?.close(resolve));
  });
  return holder;
}
