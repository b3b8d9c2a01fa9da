import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "~/lib/env.server";
import { createNonce, documentSecurityPolicy } from "~/lib/security.server";
import { NonceContext } from "~/components/nonce";
import { currentTiming, markTiming, type RequestTiming } from "~/lib/request-timing.server";

export { startServices } from "~/server/boot.server";
export { createHttpServer } from "~/server/http-server.server";

export function appConfig() {
  const config = env();
  return { HOST: config.HOST, PORT: config.PORT, APP_URL: config.APP_URL };
}

const ABORT_DELAY = 5_000;

/** REQUEST_TIMING=on: notes when React begins this render (before, the request waited for the event loop). */
function RenderStarted({ timing, children }: { timing: RequestTiming; children: React.ReactNode }) {
  markTiming("renderWorkAt", timing);
  return children;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = createNonce();
  const timing = currentTiming();
  if (timing) {
    markTiming("renderAt", timing);
    timing.route = remixContext.staticHandlerContext.matches.at(-1)?.route.id;
  }
  const page = <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>{timing ? <RenderStarted timing={timing}>{page}</RenderStarted> : page}</NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          if (timing) markTiming("shellAt", timing);
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          responseHeaders.set("Content-Security-Policy", documentSecurityPolicy(nonce));
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      } as Parameters<typeof renderToPipeableStream>[1],
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
