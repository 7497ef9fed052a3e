// An OTLP/HTTP protobuf exporter for benches: `concurrency` requests in flight over keep-alive
// connections, each POST /v1/traces. Counts only acknowledged (HTTP 200) spans; 503/429 are
// retried after their Retry-After, as an OpenTelemetry exporter would.
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { Batch } from "../traffic.ts";
import { onInterrupt } from "./cleanup.ts";
import { agent, send } from "./http.ts";

export interface SendOptions {
  concurrency: number;
  /** Called about once a second with the spans acknowledged so far. */
  progress?: (ackedSpans: number, elapsedMs: number) => void;
  /** Called on every acknowledged request with the spans acknowledged so far (for rates per window). */
  onAck?: (ackedSpans: number, nowMs: number, latencyMs: number) => void;
  /** Stop taking new batches once this returns true (requests in flight still finish). */
  stop?: () => boolean;
  /** Awaited before each batch is taken (a paced client waits here for its next slot). */
  gate?: () => Promise<void>;
  /**
   * Give up when no request has been acknowledged for this long (default 120 s): a server that
   * answers 503 for ever (its writer gone) must not hold up the bench for ever.
   */
  stallMs?: number;
  /** Transport errors (reset, refused) tolerated per request before giving up. */
  maxTransportErrors?: number;
}

export interface SendResult {
  ackedSpans: number;
  /** Spans the server answered 200 for but reported as rejected (partial success). */
  rejectedSpans: number;
  requests: number;
  /** Resends after 503/429. */
  retries: number;
  /** Milliseconds spent waiting for Retry-After, summed over the clients. */
  backoffMs: number;
  wallMs: number;
  /** Latency of each acknowledged request, ms (a retried request: its last attempt). */
  latenciesMs: number[];
  bytes: number;
}

export async function sendAll(baseUrl: string, batches: Iterable<Batch>, options: SendOptions): Promise<SendResult> {
  const url = `${baseUrl}/v1/traces`;
  const via = agent(options.concurrency);
  const iterator = batches[Symbol.iterator]();
  const result: SendResult = { ackedSpans: 0, rejectedSpans: 0, requests: 0, retries: 0, backoffMs: 0, wallMs: 0, latenciesMs: [], bytes: 0 };
  const start = performance.now();
  let lastReport = start;
  let failure: Error | null = null;
  // On Ctrl-C: stop sending and drop the connections, so the server can shut down at once.
  const unregister = onInterrupt(() => {
    failure ??= new Error("interrupted");
    via.destroy();
  });

  let lastAck = performance.now();
  const stallMs = options.stallMs ?? 120_000;
  const sendOne = async (batch: Batch) => {
    let transportErrors = 0;
    for (;;) {
      const attempt = performance.now();
      let reply;
      try {
        reply = await send(url, {
          method: "POST",
          agent: via,
          headers: { "Content-Type": "application/x-protobuf", "Content-Length": batch.body.byteLength },
          body: batch.body,
        });
      } catch (error) {
        if (++transportErrors > (options.maxTransportErrors ?? 3)) throw error;
        continue;
      }
      if (reply.status === 200) {
        const latencyMs = performance.now() - attempt;
        result.latenciesMs.push(latencyMs);
        result.requests++;
        result.bytes += batch.body.byteLength;
        const rejected = reply.body.length ? Number(ProtobufTraceSerializer.deserializeResponse(reply.body).partialSuccess?.rejectedSpans ?? 0) : 0;
        result.rejectedSpans += rejected;
        result.ackedSpans += batch.spans - rejected;
        lastAck = performance.now();
        options.onAck?.(result.ackedSpans, lastAck, latencyMs);
        return;
      }
      if (reply.status === 503 || reply.status === 429) {
        if (performance.now() - lastAck > stallMs) {
          throw new Error(`no request acknowledged for ${Math.round(stallMs / 1000)} s; the last answer: ${reply.status} ${reply.body.toString("utf8").replace(/[^\x20-\x7e]+/g, " ").trim().slice(0, 200)}`);
        }
        if (failure) throw failure;
        result.retries++;
        const seconds = Number(reply.headers["retry-after"]);
        const waitMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
        result.backoffMs += waitMs;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        continue;
      }
      throw new Error(`POST /v1/traces answered ${reply.status}: ${reply.body.toString("utf8").slice(0, 300)}`);
    }
  };

  const worker = async () => {
    while (!failure && !options.stop?.()) {
      if (options.gate) {
        await options.gate();
        if (failure || options.stop?.()) return;
      }
      const next = iterator.next();
      if (next.done) return;
      try {
        await sendOne(next.value);
      } catch (error) {
        failure ??= error as Error;
        return;
      }
      const now = performance.now();
      if (options.progress && now - lastReport >= 1000) {
        lastReport = now;
        options.progress(result.ackedSpans, now - start);
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.wallMs = performance.now() - start;
  via.destroy();
  unregister();
  if (failure) throw failure;
  return result;
}
