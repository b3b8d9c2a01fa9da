/**
 * Limits every request meets before anything parses it, so one anonymous request cannot stall the process or
 * fill its memory: the method, the body's size (counted while it arrives, whatever Content-Length claims), its
 * type and its number of fields. A body that passes is kept in `res.locals.body` for the Remix handler.
 */
import { PassThrough } from "node:stream";
import type { NextFunction, Request, Response } from "express";
import { BodyTooLargeError, UPLOAD_REQUEST_LIMIT_BYTES } from "./uploads.server";

/** Forms are small: the longest (a post) is a few kilobytes of text. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;
/** Far above the largest form (a profile with its skill lists), far below what costs noticeable parsing time. */
export const MAX_FORM_FIELDS = 1000;
/** After a refusal the rest of a body is read and dropped up to this much (so the client sees the answer), then the connection is cut. */
const MAX_DISCARDED_BYTES = 1024 * 1024;

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;

/**
 * `streamed`: a multipart body is not read here but handed to the route as a stream, counted while it flows
 * (parseUploadForm reads it part by part); a urlencoded body on the same route keeps the form limit.
 */
type BodyRule = { maxBytes: number; accepts: "form" | "any"; streamed?: boolean };

/** Forms with photos (posts, the profile's portrait). */
const UPLOAD_ROUTE_RULE: BodyRule = { maxBytes: UPLOAD_REQUEST_LIMIT_BYTES, accepts: "form", streamed: true };
const UPLOAD_TOO_LARGE = `Payload Too Large: at most ${UPLOAD_REQUEST_LIMIT_BYTES / 1024 / 1024} MB per upload (photos together). / Höchstens ${UPLOAD_REQUEST_LIMIT_BYTES / 1024 / 1024} MB pro Upload (alle Fotos zusammen).`;

/** Routes that declare more than a form: provider webhooks send JSON, signed over the raw bytes; forms with photos. */
const ROUTE_BODY_RULES: [RegExp, BodyRule][] = [
  [/^\/webhooks\//, { maxBytes: 1024 * 1024, accepts: "any" }],
  // with JavaScript, Remix posts the same form to the route's ".data" URL (single fetch)
  [/^\/posts\/new(\.data)?$/, UPLOAD_ROUTE_RULE],
  [/^\/posts\/[^/]+\/edit(\.data)?$/, UPLOAD_ROUTE_RULE],
  [/^\/profile(\.data)?$/, UPLOAD_ROUTE_RULE],
];
const FORM_RULE: BodyRule = { maxBytes: FORM_BODY_LIMIT_BYTES, accepts: "form" };

export function bodyRuleFor(path: string): BodyRule {
  return ROUTE_BODY_RULES.find(([pattern]) => pattern.test(path))?.[1] ?? FORM_RULE;
}

const URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

function mediaType(header: string | undefined) {
  return ((header ?? "").split(";", 1)[0] ?? "").trim().toLowerCase();
}

function multipartBoundary(header: string | undefined): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(header ?? "");
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Counts how often `needle` occurs in `body`, in one pass; stops counting past `stopAfter`. */
function countOccurrences(body: Buffer, needle: Buffer, stopAfter: number) {
  let count = 0;
  for (let at = body.indexOf(needle); at !== -1 && count <= stopAfter; at = body.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** The number of fields in a form body, counted on the bytes without decoding anything. */
export function countFormFields(body: Buffer, contentType: string | undefined, stopAfter = MAX_FORM_FIELDS): number {
  if (mediaType(contentType) === URLENCODED) {
    if (body.length === 0) return 0;
    return countOccurrences(body, Buffer.from("&"), stopAfter) + 1;
  }
  const boundary = multipartBoundary(contentType);
  if (!boundary) return 0;
  // every part starts with the delimiter; the closing delimiter is one more
  return Math.max(0, countOccurrences(body, Buffer.from(`--${boundary}`), stopAfter + 1) - 1);
}

function refuse(req: Request, res: Response, status: number, message: string, maxDiscardedBytes = MAX_DISCARDED_BYTES) {
  if (res.headersSent) return;
  // No "Connection: close": Node destroys a closing socket as soon as the answer is written, and what the client
  // still sends then meets a reset that can wipe the unread answer from its side. The connection stays open while
  // the rest of the body is read and dropped, so the client reads the answer; a large remainder is cut off.
  res.status(status).type("text/plain").send(message);
  let discarded = 0;
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxDiscardedBytes) req.socket.destroy();
  });
  req.resume();
}

const CONTROL_IN_PATH = /[\u0000-\u001f\u007f]/;
/** Query values may carry a newline or a tab (a text typed into a GET form), never NUL or other control bytes. */
const CONTROL_IN_QUERY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A path that decodes to control characters or is not valid percent-encoded UTF-8 names nothing here. */
export function isMalformedUrl(originalUrl: string) {
  const [path = "", query = ""] = originalUrl.split(/\?(.*)/s, 2);
  try {
    if (CONTROL_IN_PATH.test(decodeURIComponent(path))) return true;
  } catch {
    return true;
  }
  for (const [name, value] of new URLSearchParams(query)) if (CONTROL_IN_QUERY.test(name) || CONTROL_IN_QUERY.test(value)) return true;
  return false;
}

/** Express middleware: URL, method, size, type and field count of every request, before any parsing. */
export function requestLimits(req: Request, res: Response, next: NextFunction) {
  if (!(ALLOWED_METHODS as readonly string[]).includes(req.method)) {
    res.set("Allow", ALLOWED_METHODS.join(", "));
    refuse(req, res, 405, "Method Not Allowed");
    return;
  }
  if (isMalformedUrl(req.originalUrl)) return refuse(req, res, 400, "Bad Request: malformed URL");
  if (req.method !== "POST") return next();
  const rule = bodyRuleFor(req.path);
  const contentType = req.headers["content-type"];
  const type = mediaType(contentType);
  const streamed = rule.streamed && type === MULTIPART;
  const maxBytes = rule.streamed && !streamed ? FORM_BODY_LIMIT_BYTES : rule.maxBytes;
  if (Number(req.headers["content-length"] ?? 0) > maxBytes)
    return refuse(req, res, 413, streamed ? UPLOAD_TOO_LARGE : "Payload Too Large");
  if (rule.accepts === "form") {
    if (type !== URLENCODED && type !== MULTIPART) return refuse(req, res, 415, "Unsupported Media Type: send a form");
    if (type === MULTIPART && !multipartBoundary(contentType))
      return refuse(req, res, 400, "Bad Request: multipart body without a boundary");
  }
  if (streamed) return streamBody(req, res, next, maxBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  let refused = false;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      refused = true;
      req.off("data", onData);
      chunks.length = 0;
      refuse(req, res, 413, "Payload Too Large");
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  req.on("error", () => {
    refused = true;
  });
  req.on("end", () => {
    if (refused) return;
    const body = Buffer.concat(chunks, received);
    if (rule.accepts === "form") {
      if (countFormFields(body, contentType) > MAX_FORM_FIELDS) return refuse(req, res, 413, "Payload Too Large: too many fields");
      if (type === MULTIPART) {
        // A malformed multipart body would otherwise throw inside a route's request.formData().
        new Response(body, { headers: { "content-type": contentType ?? "" } }).formData().then(
          () => {
            res.locals.body = body;
            next();
          },
          () => refuse(req, res, 400, "Bad Request: malformed multipart body"),
        );
        return;
      }
    }
    res.locals.body = body;
    next();
  });
}

/**
 * Hands the body on as a stream (res.locals.bodyStream) that counts what flows through. Past `maxBytes` the client
 * gets 413 at once and the stream fails with BodyTooLargeError, so the route's parser stops mid-body.
 */
function streamBody(req: Request, res: Response, next: NextFunction, maxBytes: number) {
  const body = new PassThrough();
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      req.off("data", onData);
      req.unpipe(body);
      body.destroy(new BodyTooLargeError());
      // An upload is still streaming in: read on as far again before cutting the connection, so a client that
      // sends a little too much (a browser reads the answer only after sending) sees the 413 and its message.
      refuse(req, res, 413, UPLOAD_TOO_LARGE, maxBytes);
    }
  };
  req.on("data", onData);
  req.on("error", (error) => body.destroy(error));
  req.pipe(body);
  res.locals.bodyStream = body;
  next();
}
