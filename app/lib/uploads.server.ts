/**
 * Multipart forms with files, read as a stream: each file is collected up to the per-file limit and handed to the
 * caller's processor as soon as it has arrived (the processor keeps what it makes — small WebP variants — and the
 * upload's bytes are dropped), so a request never sits in memory as a whole. The request's total size is counted
 * by requestLimits (see UPLOAD_ROUTE_RULE) while it streams in.
 */
import { data, unstable_parseMultipartFormData } from "@remix-run/node";

/** Per request: six phone photos of about 4 MB, plus the form. */
export const UPLOAD_REQUEST_LIMIT_BYTES = 25 * 1024 * 1024;
/** Per file: the largest phone photos are about 8 MB. */
export const UPLOAD_FILE_LIMIT_BYTES = 10 * 1024 * 1024;
/** Parts of one multipart body: a post form has about 20 fields plus three per photo. */
export const MAX_UPLOAD_PARTS = 80;
/** All text fields together, as for a plain form. */
const MAX_TEXT_BYTES = 64 * 1024;

/** Thrown into the body stream by requestLimits when a streamed body grows past its route's limit. */
export class BodyTooLargeError extends Error {
  constructor() {
    super("request body too large");
  }
}

class TooManyPartsError extends Error {}
class TextTooLargeError extends Error {}

export type UploadedFile<T> = { ok: true; value: T } | { ok: false; reason: "tooLarge" };

export type UploadForm<T> = { formData: FormData; files: Map<string, UploadedFile<T>> };

function payloadTooLarge(): never {
  throw data({ status: 413 }, { status: 413 });
}

async function collect(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of chunks) {
    size += chunk.length;
    // read on to the end of the part (the parser needs that), keeping nothing of a file that is too large
    if (size > limit) over = true;
    if (!over) parts.push(chunk);
  }
  return over ? undefined : Buffer.concat(parts, size);
}

/**
 * The fields of a form that may carry files. Files go through `processFile` one at a time, in the order they arrive;
 * an empty file input (no file chosen) is left out. A plain urlencoded form is read as usual. Too many parts, too
 * much text or too large a body answer 413; a malformed body 400.
 */
export async function parseUploadForm<T>(
  request: Request,
  processFile: (bytes: Buffer, field: string) => Promise<T>,
): Promise<UploadForm<T>> {
  const files = new Map<string, UploadedFile<T>>();
  const type = (request.headers.get("content-type") ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (type !== "multipart/form-data") return { formData: await request.formData(), files };
  let parts = 0;
  let textBytes = 0;
  try {
    const formData = await unstable_parseMultipartFormData(request, async (part) => {
      if (++parts > MAX_UPLOAD_PARTS) throw new TooManyPartsError();
      if (typeof part.filename !== "string") {
        const bytes = await collect(part.data, MAX_TEXT_BYTES - textBytes);
        if (!bytes) throw new TextTooLargeError();
        textBytes += bytes.length;
        return new TextDecoder().decode(bytes);
      }
      const bytes = await collect(part.data, UPLOAD_FILE_LIMIT_BYTES);
      if (bytes === undefined) files.set(part.name, { ok: false, reason: "tooLarge" });
      else if (bytes.length > 0 || part.filename !== "") files.set(part.name, { ok: true, value: await processFile(bytes, part.name) });
      return undefined;
    });
    return { formData, files };
  } catch (error) {
    if (error instanceof TooManyPartsError || error instanceof TextTooLargeError || error instanceof BodyTooLargeError) payloadTooLarge();
    if (error instanceof Response) throw error;
    throw data({ status: 400 }, { status: 400 });
  }
}
