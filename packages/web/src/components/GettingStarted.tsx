import { useEffect, useRef, useState, type ReactNode } from "react";
import "../styles/controls.css";
import "../styles/getting-started.css";
import { copyText } from "../lib/clipboard.ts";

/** This server's address as the browser reaches it: where traces should be sent. */
export function serverOrigin(): string {
  return window.location.origin;
}

export function typescriptSnippet(origin: string, project: string): string {
  return `// npm install @threadline/sdk
import { register, withAttributes } from "@threadline/sdk";

const threadline = register({
  projectName: ${JSON.stringify(project)},
  endpoint: ${JSON.stringify(origin)}, // spans go to ${origin}/v1/traces
});

// A turn of the conversation. Spans of instrumented LLM clients
// (OpenInference) made inside it join the same trace.
const chat = threadline.tracer.chain(async (message: string) => {
  return \`You said: \${message}\`; // call your model here
}, { name: "chat" });

// Every span inside carries the session and the user.
await withAttributes({ sessionId: "session-1", userId: "user-1" }, () => chat("Hello!"));

await threadline.shutdown(); // flush before the process exits
`;
}

export function pythonSnippet(origin: string, project: string): string {
  return `# pip install openinference-instrumentation opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
from openinference.instrumentation import TracerProvider, using_session, using_user
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace.export import BatchSpanProcessor

provider = TracerProvider(resource=Resource.create({"openinference.project.name": ${JSON.stringify(project)}}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=${JSON.stringify(`${origin}/v1/traces`)})))
tracer = provider.get_tracer(__name__)
# Instrument your LLM client with the same provider, e.g.
# OpenAIInstrumentor().instrument(tracer_provider=provider)

# Spans made inside carry the session and the user.
with using_session("session-1"), using_user("user-1"):
    with tracer.start_as_current_span("chat", attributes={"openinference.span.kind": "CHAIN"}) as span:
        span.set_attribute("input.value", "Hello!")
        span.set_attribute("output.value", "You said: Hello!")

provider.shutdown()  # flush before the process exits
`;
}


function CopyButton({ text, testId, label, className = "" }: { text: string; testId: string; label: string; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className={`button button--sm ${className}`}
      data-testid={testId}
      aria-label={`Copy ${label}`}
      onClick={() => {
        void copyText(text).then((ok) => {
          setState(ok ? "copied" : "failed");
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setState("idle"), 1800);
        });
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Press Ctrl+C" : "Copy"}
    </button>
  );
}

function Snippet({ title, language, code, testId }: { title: string; language: string; code: string; testId: string }) {
  return (
    <section className="snippet" data-testid={`snippet-${testId}`}>
      <header className="snippet__head">
        <h3 className="snippet__title">{title}</h3>
        <span className="snippet__lang">{language}</span>
        <CopyButton text={code} testId={`copy-${testId}`} label={`the ${title} snippet`} className="snippet__copy" />
      </header>
      <pre className="snippet__code">
        <code data-testid={`code-${testId}`}>{code}</code>
      </pre>
    </section>
  );
}

/**
 * The empty state that teaches: how to send a first session to this server, in TypeScript
 * (@threadline/sdk) and Python (OpenInference + an OTLP exporter), with copy buttons.
 */
export function GettingStarted({ project = "my-chat-app", title, children }: { project?: string; title: string; children?: ReactNode }) {
  const origin = serverOrigin();
  const endpoint = `${origin}/v1/traces`;
  return (
    <div className="getting-started" data-testid="getting-started">
      <div className="getting-started__intro">
        <h2 className="getting-started__title">{title}</h2>
        {children && <p className="muted">{children}</p>}
        <p>
          Send OpenTelemetry traces (OTLP over HTTP, protobuf or JSON) to this server, with a{" "}
          <code className="code">session.id</code> and a <code className="code">user.id</code> on the spans. Each trace is
          a turn; the session groups the turns into a conversation. This page updates as soon as they arrive.
        </p>
        <div className="getting-started__endpoint">
          <span className="muted">OTLP endpoint</span>
          <code className="code code--block" data-testid="otlp-endpoint">
            {endpoint}
          </code>
          <CopyButton text={endpoint} testId="copy-endpoint" label="the endpoint" />
        </div>
      </div>
      <Snippet title="TypeScript" language="@threadline/sdk" code={typescriptSnippet(origin, project)} testId="typescript" />
      <Snippet title="Python" language="OpenInference" code={pythonSnippet(origin, project)} testId="python" />
    </div>
  );
}
