// What a span means, whatever convention it was written in (OpenInference, OpenTelemetry GenAI old
// and new, OpenLLMetry, Langfuse, Vercel AI SDK): who and which conversation it belongs to, what
// was said, what it cost. Each aspect lives in its own module; this one only assembles them.
import type { Attributes, DecodedSpan } from "../otlp/types.ts";
import type { ChatMessage, Tokens } from "../store/records.ts";
import { isRecord } from "./attributes.ts";
import { readSessionId, readUserId } from "./identity.ts";
import { isUsageWrapper, readSpanKind } from "./kinds.ts";
import { readMessages } from "./messages/index.ts";
import type { PriceTable } from "./prices.ts";
import { scanKeys } from "./scan.ts";
import { readMetadata, readTags } from "./tags-metadata.ts";
import { inputText, outputText } from "./text.ts";
import { readCost, readModel, readTokens, ZERO_TOKENS } from "./usage.ts";

export interface SpanSemantics {
  spanKind: string | null;
  sessionId: string | null;
  userId: string | null;
  model: string | null;
  input: string | null;
  output: string | null;
  inputMessages: ChatMessage[] | null;
  outputMessages: ChatMessage[] | null;
  tokens: Tokens;
  cost: number;
  tags: string[];
  metadata: Record<string, unknown>;
}

/** `scopeName`: the instrumentation scope the span came in (some conventions are told apart by it). */
export function readSemantics(span: DecodedSpan, resource: Attributes, prices: PriceTable, scopeName = ""): SpanSemantics {
  const attributes: Attributes = isRecord(span.attributes) ? span.attributes : {};
  const resourceAttributes: Attributes = isRecord(resource) ? resource : {};
  try {
    const scan = scanKeys(attributes);
    const model = readModel(attributes);
    // A wrapper repeats its children's usage: it keeps its attributes but counts nothing itself.
    const wrapper = isUsageWrapper(attributes, span.name, scopeName);
    const tokens = wrapper ? { ...ZERO_TOKENS } : readTokens(attributes);
    const messages = readMessages(span, attributes, scan);
    const metadata = readMetadata(attributes, scan);
    return {
      spanKind: readSpanKind(attributes, span.name),
      sessionId: readSessionId(attributes, resourceAttributes, metadata),
      userId: readUserId(attributes, resourceAttributes, metadata),
      model,
      input: inputText(attributes, messages.input),
      output: outputText(attributes, messages.output),
      inputMessages: messages.input,
      outputMessages: messages.output,
      tokens,
      cost: wrapper ? 0 : readCost(attributes, model, tokens, prices),
      tags: readTags(attributes),
      metadata,
    };
  } catch {
    // The readers are written not to throw; this is the last line of defence, because one odd span
    // must never fail the whole export request it arrived in. Keep what cannot go wrong.
    return {
      spanKind: null, sessionId: null, userId: null, model: null, input: null, output: null, inputMessages: null,
      outputMessages: null, tokens: { ...ZERO_TOKENS }, cost: 0, tags: [], metadata: {},
    };
  }
}

/**
 * A stored span's chat messages, read again from its attributes and events: the store keeps the
 * attributes only, so the messages' text is not written to disk twice.
 */
export function readStoredMessages(span: Pick<DecodedSpan, "name" | "attributes" | "events">): {
  input: ChatMessage[] | null;
  output: ChatMessage[] | null;
} {
  const attributes: Attributes = isRecord(span.attributes) ? span.attributes : {};
  try {
    const decoded = { ...span, attributes } as DecodedSpan;
    return readMessages(decoded, attributes, scanKeys(attributes));
  } catch {
    return { input: null, output: null };
  }
}
