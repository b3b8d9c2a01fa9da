/**
 * LOCAL HTTP STAND-IN for an S3-compatible object store — not S3. No object store can be reached or installed on
 * these machines, so the official AWS SDK client is pointed at this server (S3_ENDPOINT, path-style) in tests. It
 * behaves like the parts of S3 the image store uses: PUT, GET, HEAD and DELETE of `/<bucket>/<key>`, 404 with a
 * NoSuchKey XML error for a missing object, 403 for a request without a SigV4 Authorization header, and scripted
 * failures (e.g. 503) for the next requests. It keeps objects in memory and records every request.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type S3StandIn = {
  url: string;
  bucket: string;
  objects: Map<string, { body: Buffer; contentType: string | undefined; cacheControl: string | undefined }>;
  requests: { method: string; key: string; status: number; signed: boolean }[];
  failNext: (...statuses: number[]) => void;
  close: () => Promise<void>;
};

function xmlError(code: string, message: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startS3StandIn(bucket = "nextleipzig-test"): Promise<S3StandIn> {
  const objects: S3StandIn["objects"] = new Map();
  const requests: S3StandIn["requests"] = [];
  const scripted: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const [, requestBucket, ...rest] = decodeURIComponent(url.pathname).split("/");
      const key = rest.join("/");
      const signed = /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? "");
      const answer = (status: number, body: string | Buffer = "", headers: Record<string, string> = {}) => {
        requests.push({ method: req.method ?? "", key, status, signed });
        res.writeHead(status, {
          "x-amz-request-id": "stand-in",
          ...(typeof body === "string" && body ? { "content-type": "application/xml" } : {}),
          ...headers,
        });
        res.end(req.method === "HEAD" ? undefined : body);
      };
      const failure = scripted.shift();
      if (failure) return answer(failure, xmlError(failure === 503 ? "SlowDown" : "InternalError", "scripted failure"));
      if (!signed) return answer(403, xmlError("AccessDenied", "missing signature"));
      if (requestBucket !== bucket) return answer(404, xmlError("NoSuchBucket", "The specified bucket does not exist"));
      if (req.method === "PUT") {
        objects.set(key, {
          body: Buffer.concat(chunks),
          contentType: req.headers["content-type"],
          cacheControl: req.headers["cache-control"] as string | undefined,
        });
        return answer(200, "", { etag: '"stand-in"' });
      }
      if (req.method === "GET" || req.method === "HEAD") {
        const object = objects.get(key);
        if (!object) return answer(404, xmlError("NoSuchKey", "The specified key does not exist."));
        return answer(200, object.body, {
          "content-type": object.contentType ?? "application/octet-stream",
          "content-length": String(object.body.length),
        });
      }
      if (req.method === "DELETE") {
        objects.delete(key);
        return answer(204);
      }
      answer(405, xmlError("MethodNotAllowed", "not in the stand-in"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    objects,
    requests,
    failNext: (...statuses) => scripted.push(...statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
