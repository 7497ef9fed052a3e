// Span wrappers and TC39 method decorators. Node's type stripping passes `@decorator` syntax through and
// V8 rejects it, so these tests apply the decorators the way compiled code does: as functions called with
// (method, context), and once through TypeScript's real decorator emit, loaded as plain JavaScript.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, beforeEach, test } from "node:test";
import { SpanStatusCode } from "@opentelemetry/api";
import ts from "typescript";
import { getTracer, traceAgent, traceChain, traceLLM, traceRetriever, traceTool, usingSession, withSession } from "../src/index.ts";
import { captureWarnings, startInMemoryTracing } from "./tracing.ts";

const tracing = startInMemoryTracing();
captureWarnings();
const attrs = (name: string) => tracing.span(name).attributes;
beforeEach(() => tracing.exporter.reset());
after(() => tracing.provider.shutdown());

/** The context object a TC39 runtime passes to a method decorator. */
function methodContext(name: string): ClassMethodDecoratorContext {
  return {
    kind: "method",
    name,
    static: false,
    private: false,
    access: { has: () => true, get: () => undefined },
    addInitializer: () => {},
    metadata: {},
  } as unknown as ClassMethodDecoratorContext;
}

test("each wrapper makes a span of its OpenInference kind, with input, output and the context's session", async () => {
  const kinds = { CHAIN: traceChain, AGENT: traceAgent, TOOL: traceTool, LLM: traceLLM, RETRIEVER: traceRetriever };
  await withSession("sess-kinds", async () => {
    for (const [kind, wrap] of Object.entries(kinds)) {
      const traced = wrap(async (query: string) => `${kind}:${query}`, { name: `step-${kind}` });
      assert.equal(await traced("q"), `${kind}:q`);
    }
  });
  for (const kind of Object.keys(kinds)) {
    const span = attrs(`step-${kind}`);
    assert.equal(span["openinference.span.kind"], kind);
    assert.equal(span["input.value"], "q");
    assert.equal(span["output.value"], `${kind}:q`);
    assert.equal(span["session.id"], "sess-kinds");
  }
});

test("@traceChain (called as the runtime does) names the span after the method and keeps `this`", async () => {
  class Planner {
    prefix = "plan for ";
    async plan(goal: string) {
      return this.prefix + goal;
    }
  }
  const decorated = traceChain(Planner.prototype.plan, methodContext("plan"));
  Planner.prototype.plan = decorated;
  assert.equal(await new Planner().plan("a trip"), "plan for a trip");
  assert.equal(attrs("plan")["openinference.span.kind"], "CHAIN");
  assert.equal(attrs("plan")["output.value"], "plan for a trip");
});

test("@traceTool({ name }) is a decorator factory; errors are recorded and rethrown", () => {
  class Weather {
    lookup(city: string): string {
      if (city === "Atlantis") throw new Error("no such city");
      return `sunny in ${city}`;
    }
  }
  const decorator = traceTool({ name: "get_weather" });
  Weather.prototype.lookup = decorator(Weather.prototype.lookup, methodContext("lookup"));
  const weather = new Weather();
  assert.equal(weather.lookup("Oslo"), "sunny in Oslo");
  assert.throws(() => weather.lookup("Atlantis"), /no such city/);
  const [ok, failed] = tracing.exporter.getFinishedSpans();
  assert.equal(ok.name, "get_weather");
  assert.equal(ok.attributes["openinference.span.kind"], "TOOL");
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.events[0].name, "exception");
});

test("getTracer(name): a tracer whose .chain/.agent/... are bound to it (Python's @tracer.chain)", async () => {
  const tracer = getTracer("support-bot");
  const answer = tracer.agent(async (question: string) => `answer to ${question}`, { name: "agent-turn" });
  await withSession("sess-tracer", () => answer("why?"));
  const span = tracing.span("agent-turn");
  assert.equal(span.instrumentationScope.name, "support-bot");
  assert.equal(span.attributes["openinference.span.kind"], "AGENT");
  assert.equal(span.attributes["session.id"], "sess-tracer");
  tracer.startActiveSpan("manual", (manual) => manual.end()); // still a full OpenTelemetry tracer
  assert.equal(tracing.span("manual").instrumentationScope.name, "support-bot");
});

test("real decorator syntax, compiled by TypeScript as a user's build would, works at run time", async () => {
  const sdkUrl = pathToFileURL(join(import.meta.dirname, "../src/index.ts")).href;
  const source = `
    import { getTracer, traceChain, traceTool, usingSession } from ${JSON.stringify(sdkUrl)};
    const tracer = getTracer("compiled-app");
    export class Assistant {
      greeting = "Hello, ";
      @usingSession("sess-decorated")
      @tracer.agent
      async reply(name) { return this.#lookup(name) + (await this.format(name)); }
      @traceChain({ name: "format-step" })
      async format(name) { return this.greeting + name; }
      @traceTool
      #lookup(name) { return "[" + name.length + "] "; }
    }`;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
  });
  const dir = await mkdtemp(join(tmpdir(), "threadline-decorators-"));
  try {
    await writeFile(join(dir, "assistant.mjs"), outputText);
    const { Assistant } = (await import(pathToFileURL(join(dir, "assistant.mjs")).href)) as {
      Assistant: new () => { reply(name: string): Promise<string> };
    };
    assert.equal(await new Assistant().reply("Ada"), "[3] Hello, Ada");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const reply = tracing.span("reply");
  assert.equal(reply.attributes["openinference.span.kind"], "AGENT");
  assert.equal(reply.attributes["session.id"], "sess-decorated");
  assert.equal(reply.instrumentationScope.name, "compiled-app");
  for (const [name, kind] of [["format-step", "CHAIN"], ["#lookup", "TOOL"]]) {
    const span = tracing.span(name);
    assert.equal(span.attributes["openinference.span.kind"], kind);
    assert.equal(span.attributes["session.id"], "sess-decorated");
    assert.equal(span.parentSpanContext?.spanId, reply.spanContext().spanId);
  }
});

test("usingSession as a method decorator (called as the runtime does)", () => {
  class Bot {
    reply() {
      tracing.emit("decorated-reply");
      return "ok";
    }
  }
  Bot.prototype.reply = usingSession("sess-method")(Bot.prototype.reply, methodContext("reply"));
  assert.equal(new Bot().reply(), "ok");
  assert.equal(attrs("decorated-reply")["session.id"], "sess-method");
});
