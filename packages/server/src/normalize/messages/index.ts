// The messages a span sent to and got back from a model, whichever convention carried them.
// Each direction takes the first convention that has any: OpenInference, GenAI JSON, OpenLLMetry
// flattened, Vercel AI SDK, Langfuse generations, then span events (last: they cost a walk over
// the events).
import type { Attributes, DecodedSpan } from "../../otlp/types.ts";
import type { ChatMessage } from "../../store/records.ts";
import type { KeyScan } from "../scan.ts";
import { eventMessages } from "./events.ts";
import { genAiInputMessages, genAiOutputMessages } from "./genai.ts";
import { langfuseMessages } from "./langfuse.ts";
import { openInferenceMessages } from "./openinference.ts";
import { openLlmetryMessages } from "./openllmetry.ts";
import { vercelInputMessages, vercelOutputMessages } from "./vercel.ts";

export interface SpanMessages {
  input: ChatMessage[] | null;
  output: ChatMessage[] | null;
}

export function readMessages(span: DecodedSpan, attributes: Attributes, scan: KeyScan): SpanMessages {
  let input =
    openInferenceMessages(scan.oiInput, "user") ??
    genAiInputMessages(attributes) ??
    openLlmetryMessages(scan.llPrompt, "user") ??
    vercelInputMessages(attributes) ??
    langfuseMessages(attributes, "input");
  let output =
    openInferenceMessages(scan.oiOutput, "assistant") ??
    genAiOutputMessages(attributes) ??
    openLlmetryMessages(scan.llCompletion, "assistant") ??
    vercelOutputMessages(attributes) ??
    langfuseMessages(attributes, "output");
  if ((!input || !output) && Array.isArray(span.events) && span.events.length) {
    const fromEvents = eventMessages(span.events);
    input ??= fromEvents.input;
    output ??= fromEvents.output;
  }
  return { input, output };
}
