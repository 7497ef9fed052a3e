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
