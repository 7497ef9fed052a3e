// Reads a request body within a size limit, undoing its Content-Encoding, with the limit
// applied to the decompressed size too (a small gzip body can expand enormously).
import type { IncomingMessage } from "node:http";
import { gunzip, inflate } from "node:zlib";
import { promisify } from "node:util";

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (!["identity", "gzip", "deflate", ""].includes(encoding)) {
    throw new BodyError(415, `unsupported Content-Encoding "${encoding}" (use gzip or none)`);
  }
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) throw new BodyError(413, tooLarge(maxBytes));

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyError(413, tooLarge(maxBytes));
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks, size);
  if (encoding !== "gzip" && encoding !== "deflate") return raw;
  try {
    const inflateBody = encoding === "gzip" ? gunzipAsync : inflateAsync;
    return await inflateBody(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new BodyError(413, `${tooLarge(maxBytes)} once decompressed`);
    }
    throw new BodyError(400, `body is not valid ${encoding}: ${(error as Error).message}`);
  }
}

function tooLarge(maxBytes: number): string {
  return `request body larger than the ${maxBytes}-byte limit`;
}

/**
 * Reads and drops what is left of a refused body, up to `maxBytes` and `maxMs`, so the client
 * (mid-upload) gets the answer instead of a reset. Whether the body ended within the bounds.
 */
export function discardBody(req: IncomingMessage, maxBytes: number, maxMs = 10_000): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let size = 0;
    const done = (ended: boolean) => {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onError);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) done(false);
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), maxMs);
    req.on("data", onData).on("end", onEnd).on("error", onError);
    req.resume();
  });
}

/** The client went away mid-body: there is no one to answer. */
export function isAborted(req: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE" || (error as Error)?.message === "aborted" || (req.destroyed && !req.readableEnded);
}
