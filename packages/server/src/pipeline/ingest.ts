// The part of the ingest path every receiver shares: normalize a decoded request and hand the
// valid spans to the batch writer. Resolves once they are committed.
import type { DecodedRequest } from "../otlp/types.ts";
import { normalizeRequest } from "../normalize/normalize.ts";
import type { PriceTable } from "../normalize/prices.ts";
import type { BatchWriter } from "./batch-writer.ts";
import type { ChangeFeed } from "./change-feed.ts";

export interface IngestResult {
  /** Spans refused as invalid (the rest were stored). */
  rejectedSpans: number;
  /** Why, when some were refused. */
  errorMessage: string;
}

export type Ingest = (request: DecodedRequest, meta: { projectHeader?: string | null; bytes: number }) => Promise<IngestResult>;

export function createIngest(writer: BatchWriter, prices: PriceTable, changes?: ChangeFeed): Ingest {
  return async (request, { projectHeader, bytes }) => {
    const result = normalizeRequest(request, { prices, projectHeader });
    await writer.write(result.spans, bytes);
    changes?.published(result.spans);
    return { rejectedSpans: result.rejectedCount, errorMessage: result.rejections.join("; ") };
  };
}
