// Context: the OpenInference setters/getters (openinference-core compatible, validated).
export {
  clearAttributes,
  clearMetadata,
  clearPromptTemplate,
  clearSession,
  clearTags,
  clearUser,
  getAttributes,
  getAttributesFromContext,
  getMetadata,
  getPromptTemplate,
  getSession,
  getTags,
  getUser,
  setAttributes,
  setMetadata,
  setPromptTemplate,
  setSession,
  setTags,
  setUser,
  type PromptTemplate,
} from "./context.ts";
// The TypeScript forms of using_session, using_attributes, ..., suppress_tracing.
export {
  suppressTracing,
  usingAttributes,
  usingMetadata,
  usingPromptTemplate,
  usingSession,
  usingTags,
  usingUser,
  withAttributes,
  withMetadata,
  withPromptTemplate,
  withSession,
  withTags,
  withUser,
  type ScopeOptions,
  type ThreadlineAttributes,
  type Wrapper,
} from "./scopes.ts";
// The end of a conversation: its evaluations run now.
export { endSession, SESSION_END_ATTRIBUTE } from "./session-end.ts";
// Spans for app code: wrappers and TC39 method decorators.
export {
  getTracer,
  spanWrapper,
  traceAgent,
  traceChain,
  traceEmbedding,
  traceLLM,
  traceRetriever,
  traceTool,
  type OpenInferenceTracer,
  type SpanWrapper,
  type TraceOptions,
} from "./tracing.ts";
// Setup.
export { DEFAULT_ENDPOINT, register, type RegisterOptions, type Threadline } from "./register.ts";
export { resolveTraceConfig, type TraceConfig, type TraceConfigOptions } from "./trace-config.ts";
export { KNOWN_INSTRUMENTATIONS, type AutoInstrumentReport, type Instrumentation } from "./instrumentations.ts";
export { ThreadlineSpanProcessor, type ThreadlineSpanProcessorOptions } from "./processor.ts";
export { BAGGAGE_SESSION_ID, BAGGAGE_USER_ID, OutboundOnlyBaggagePropagator } from "./baggage.ts";
export { MAX_ID_LENGTH, ThreadlineValidationError } from "./validate.ts";
