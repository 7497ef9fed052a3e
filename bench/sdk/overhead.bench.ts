// `npx node bench/sdk/overhead.bench.ts`: what putting session, user, metadata and tags on every span
// costs, in-process, for three setups side by side in one run:
//   Threadline  withAttributes + ThreadlineSpanProcessor (stamps every span, whichever tracer made it)
//   Phoenix     openinference-core setters + context.with, spans from an OITracer (how OpenInference
//               instrumentations stamp context attributes) + phoenix-otel's default span processor
//   Langfuse    propagateAttributes + LangfuseSpanProcessor
// Every setup exports in batches (each one's production default) to the same no-op exporter, with the
// queue sized so that no span is dropped; the baseline is a bare provider with a batch processor and that
// exporter. Overhead = setup minus baseline, median of --rounds rounds, setups interleaved within each
// round. No network. Options: --spans --calls (per setup and round) --batch --rounds --warmup.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { context, propagation, ROOT_CONTEXT, type Context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-node";
import * as core from "@arizeai/openinference-core";
import { LazyOpenInferenceSpanProcessor } from "@arizeai/phoenix-otel";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { propagateAttributes } from "@langfuse/tracing";
import { ThreadlineSpanProcessor, withAttributes, withSession } from "../../packages/sdk/src/index.ts";
import { numberOption } from "../lib/config.ts";
import { machine, writeSummary } from "../lib/report.ts";
import { table } from "../lib/stats.ts";

const SPANS = numberOption("spans", 20_000); // per setup and round
const CALLS = numberOption("calls", 50_000); // per setup and round
const BATCH = numberOption("batch", 250); // operations per turn
const ROUNDS = numberOption("rounds", 15);
const WARMUP = numberOption("warmup", 2);

// Batch processors read their limits from the environment when built; every setup builds its own.
process.env.OTEL_BSP_MAX_QUEUE_SIZE = String(SPANS * 2);
process.env.OTEL_BSP_SCHEDULE_DELAY = "60000"; // batches go out when full or on forceFlush, not on a timer

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void; // collect between measurements, so one's garbage is not the next's cost

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const noopExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
};

// What the app sets per conversation; Langfuse wants string metadata values, so all are strings.
const SESSION_ID = "sess-7f3a2c";
const USER_ID = "user-1842";
const METADATA = { channel: "web", plan: "pro" };
const TAGS = ["beta", "eu"];
const SPAN_ATTRIBUTES = { "openinference.span.kind": "CHAIN", "input.value": "What should I pack?" };

type Stack = {
  name: string;
  provider: NodeTracerProvider;
  tracer: Pick<Tracer, "startSpan">;
  /** Runs fn with session, user, metadata and tags set, the setup's way. */
  withAll<T>(fn: () => T): T;
  /** Runs fn with the session only. */
  withSessionOnly<T>(fn: () => T): T;
};

function provider(processors: SpanProcessor[]): NodeTracerProvider {
  return new NodeTracerProvider({ spanProcessors: processors });
}

const coreContext = () =>
  core.setTags(
    core.setMetadata(core.setUser(core.setSession(context.active(), { sessionId: SESSION_ID }), { userId: USER_ID }), METADATA),
    TAGS,
  );

function stacks(): Stack[] {
  const baseline = provider([new BatchSpanProcessor(noopExporter)]);
  const threadline = provider([new ThreadlineSpanProcessor(), new BatchSpanProcessor(noopExporter)]);
  const phoenix = provider([new LazyOpenInferenceSpanProcessor({ exporter: noopExporter, batch: true })]);
  const langfuse = provider([
    new LangfuseSpanProcessor({
      exporter: noopExporter,
      exportMode: "batched",
      publicKey: "pk-bench",
      secretKey: "sk-bench",
      baseUrl: "http://127.0.0.1:9",
      mediaUploadEnabled: false,
      shouldExportSpan: () => true, // its default filter drops non-LLM spans; export all, like the others
    }),
  ]);
  return [
    {
      name: "baseline (no context processor)",
      provider: baseline,
      tracer: baseline.getTracer("bench"),
      // Entering a context with nothing new in it: the cost every setup pays for context.with itself.
      withAll: (fn) => context.with(context.active(), fn),
      withSessionOnly: (fn) => context.with(context.active(), fn),
    },
    {
      name: "Threadline",
      provider: threadline,
      tracer: threadline.getTracer("bench"),
      withAll: (fn) => withAttributes({ sessionId: SESSION_ID, userId: USER_ID, metadata: METADATA, tags: TAGS }, fn),
      withSessionOnly: (fn) => withSession(SESSION_ID, fn),
    },
    {
      name: "Phoenix (openinference-core + phoenix-otel)",
      provider: phoenix,
      tracer: new core.OITracer({ tracer: phoenix.getTracer("bench") }),
      withAll: (fn) => context.with(coreContext(), fn),
      withSessionOnly: (fn) => context.with(core.setSession(context.active(), { sessionId: SESSION_ID }), fn),
    },
    {
      name: "Langfuse (propagateAttributes + LangfuseSpanProcessor)",
      provider: langfuse,
      tracer: langfuse.getTracer("bench"),
      withAll: (fn) => propagateAttributes({ sessionId: SESSION_ID, userId: USER_ID, metadata: METADATA, tags: TAGS }, fn),
      withSessionOnly: (fn) => propagateAttributes({ sessionId: SESSION_ID }, fn),
    },
  ];
}

/** Lets the async part of span processing (promises, e.g. Langfuse's onEnd) finish inside the timing. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One round: every setup runs BATCH operations at a time, in turns, until each has run `total`; a GC
 * pause or a slow moment then lands on all setups alike instead of on one. Returns ns per operation.
 */
async function round(setups: Stack[], total: number, batch: (stack: Stack, count: number) => void, flush: boolean): Promise<Map<Stack, number>> {
  const elapsed = new Map(setups.map((stack) => [stack, 0]));
  for (let done = 0, turn = 0; done < total; done += BATCH, turn++) {
    for (let k = 0; k < setups.length; k++) {
      const stack = setups[(k + turn) % setups.length];
      const start = process.hrtime.bigint();
      batch(stack, Math.min(BATCH, total - done));
      await settle();
      elapsed.set(stack, elapsed.get(stack)! + Number(process.hrtime.bigint() - start));
    }
  }
  if (flush) {
    for (const stack of setups) {
      const start = process.hrtime.bigint();
      await stack.provider.forceFlush();
      elapsed.set(stack, elapsed.get(stack)! + Number(process.hrtime.bigint() - start));
    }
  }
  return new Map([...elapsed].map(([stack, ns]) => [stack, ns / total]));
}

const startSpans = (stack: Stack, count: number) => {
  for (let i = 0; i < count; i++) stack.tracer.startSpan("turn", { attributes: SPAN_ATTRIBUTES }).end();
};
const noop = () => 1;
const enterMany = (enter: (fn: () => number) => number, count: number) => {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += enter(noop);
  if (sum !== count) throw new Error("the context entry did not run its function");
};

const scenarios: Array<{ name: string; unit: string; measure: (setups: Stack[]) => Promise<Map<Stack, number>> }> = [
  {
    name: "span inside a context with session, user, metadata, tags",
    unit: "ns/span",
    measure: (setups) => round(setups, SPANS, (stack, count) => stack.withAll(() => startSpans(stack, count)), true),
  },
  { name: "span with no context value set", unit: "ns/span", measure: (setups) => round(setups, SPANS, startSpans, true) },
  {
    name: "entering a context with session, user, metadata, tags",
    unit: "ns/call",
    measure: (setups) => round(setups, CALLS, (stack, count) => enterMany((fn) => stack.withAll(fn), count), false),
  },
  {
    name: "entering a context with the session only",
    unit: "ns/call",
    measure: (setups) => round(setups, CALLS, (stack, count) => enterMany((fn) => stack.withSessionOnly(fn), count), false),
  },
];

/**
 * ThreadlineSpanProcessor on its own: onStart + onEnding in `ctx`, timed over batches of BATCH fresh spans
 * made just before (untimed, so they are hot in cache as real spans are). Resolves tens of nanoseconds.
 */
const bare = provider([]).getTracer("bench");
const processorAlone = new ThreadlineSpanProcessor();
const fullContext = withAttributes({ sessionId: SESSION_ID, userId: USER_ID, metadata: METADATA, tags: TAGS }, () => context.active());
function processorCost(ctx: Context): number {
  let elapsed = 0;
  for (let done = 0; done < SPANS; done += BATCH) {
    const spans = Array.from({ length: BATCH }, () => bare.startSpan("turn", { attributes: SPAN_ATTRIBUTES }) as unknown as Span);
    const start = process.hrtime.bigint();
    for (let i = 0; i < spans.length; i++) {
      processorAlone.onStart(spans[i], ctx);
      processorAlone.onEnding(spans[i]);
    }
    elapsed += Number(process.hrtime.bigint() - start);
    for (const span of spans) span.end();
  }
  return elapsed / SPANS;
}
const processorSamples = { none: [] as number[], full: [] as number[] };

const all = stacks();
// The phoenix processor loads its delegate asynchronously; wait until it is there.
await Promise.all(all.map((s) => s.provider.forceFlush()));
const samples = new Map<string, number[]>();
for (let r = 0; r < WARMUP + ROUNDS; r++) {
  const [none, full] = [processorCost(ROOT_CONTEXT), processorCost(fullContext)];
  if (r >= WARMUP) {
    processorSamples.none.push(none);
    processorSamples.full.push(full);
  }
  for (const scenario of scenarios) {
    gc();
    const results = await scenario.measure(all);
    if (r < WARMUP) continue;
    for (const [stack, value] of results) {
      const key = `${scenario.name}|${stack.name}`;
      samples.set(key, [...(samples.get(key) ?? []), value]);
    }
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(`# SDK overhead  ${machine()}`);
console.log(`${SPANS} spans / ${CALLS} calls per setup and round, in turns of ${BATCH}; median of ${ROUNDS} rounds after ${WARMUP} warm-up rounds\n`);
const summary: Record<string, Record<string, { median: number; overhead: number }>> = {};
for (const scenario of scenarios) {
  const base = median(samples.get(`${scenario.name}|${all[0].name}`)!);
  const ours = median(samples.get(`${scenario.name}|Threadline`)!) - base;
  const rows = all.map((stack) => {
    const values = samples.get(`${scenario.name}|${stack.name}`)!;
    const value = median(values);
    const overhead = value - base;
    (summary[scenario.name] ??= {})[stack.name] = { median: value, overhead };
    const ratio = stack === all[0] ? "" : stack.name === "Threadline" ? "1.00x" : `${(overhead / ours).toFixed(2)}x`;
    return [stack.name, value.toFixed(0), stack === all[0] ? "" : overhead.toFixed(0), ratio, `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`];
  });
  console.log(`## ${scenario.name}`);
  console.log(table(["setup", scenario.unit, "overhead", "overhead / Threadline's", "range"], rows));
  console.log("");
}
const alone = { noContext: median(processorSamples.none), fullContext: median(processorSamples.full) };
console.log("## ThreadlineSpanProcessor alone (onStart + onEnding, no span creation or export)");
console.log(table(["context", "ns/span", "range"], [
  ["no context value set", alone.noContext.toFixed(0), `${Math.min(...processorSamples.none).toFixed(0)}-${Math.max(...processorSamples.none).toFixed(0)}`],
  ["session, user, metadata, tags (4 attributes written)", alone.fullContext.toFixed(0), `${Math.min(...processorSamples.full).toFixed(0)}-${Math.max(...processorSamples.full).toFixed(0)}`],
]));
writeSummary({ ...summary, processorAlone: alone });
await Promise.all(all.map((s) => s.provider.shutdown()));
