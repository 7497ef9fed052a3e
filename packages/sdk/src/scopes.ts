// The TypeScript forms of OpenInference's context managers (`using_session`, `using_attributes`, ...):
// `withX(value, fn)` runs fn in the context, `usingX(value)` wraps a function (or decorates a method).
import { context, diag, type Attributes, type Context } from "@opentelemetry/api";
import { suppressTracing as suppressedContext } from "@opentelemetry/core";
import * as core from "@arizeai/openinference-core";
import {
  ATTRIBUTES_KEY,
  METADATA_KEY,
  SESSION_KEY,
  TAGS_KEY,
  TEMPLATE_KEY,
  TEMPLATE_VARIABLES_KEY,
  TEMPLATE_VERSION_KEY,
  USER_KEY,
  parseTags,
} from "./attributes.ts";
import { addIdsToBaggage } from "./baggage.ts";
import { withValues } from "./overlay-context.ts";
import {
  ThreadlineValidationError,
  cleanAttributes,
  cleanId,
  cleanPromptTemplate,
  cleanTags,
  describe,
  isCleanId,
  objectJson,
  reject,
  type PromptTemplate,
} from "./validate.ts";

/** What Threadline can attach to every span created inside a `with*` callback. */
export type ThreadlineAttributes = {
  /** Groups traces into a conversation (`session.id`). Inner replaces outer. */
  sessionId?: string;
  /** The end user the conversation belongs to (`user.id`). Inner replaces outer. */
  userId?: string;
  /** JSON-serializable data (`metadata`, a JSON string). Merged shallowly with the outer metadata. */
  metadata?: Record<string, unknown>;
  /** Labels for filtering (`tag.tags`). Added to the outer tags. */
  tags?: string[];
  /** The prompt template in use (`llm.prompt_template.*`). Inner replaces outer as a whole. */
  promptTemplate?: PromptTemplate;
  /** Any other span attributes. Merged shallowly with the outer ones. */
  attributes?: Attributes;
};

export type ScopeOptions = {
  /**
   * Also put the session and user ids in W3C baggage, so services this code calls (over instrumented
   * HTTP, gRPC, ...) file their spans under the same session. Off by default: baggage is sent with
   * every outbound request, to LLM vendors and other third parties too.
   */
  propagate?: boolean;
};

type AnyFunction = (...args: never[]) => unknown;

/** Validated once, applied at every call: what a `with*`/`using*` call adds to the context. */
type Scope = {
  sessionId: string | undefined;
  userId: string | undefined;
  metadata: Record<string, unknown> | undefined;
  metadataJson: string | undefined;
  tags: string[] | undefined;
  tagsJson: string | undefined;
  promptTemplate: PromptTemplate | undefined;
  promptVariablesJson: string | undefined;
  attributes: Attributes | undefined;
  attributesJson: string | undefined;
  propagate: boolean;
};

/** Every field present from the start, so all scopes share one shape (cheaper for the engine). */
function emptyScope(options: ScopeOptions | undefined): Scope {
  return {
    sessionId: undefined,
    userId: undefined,
    metadata: undefined,
    metadataJson: undefined,
    tags: undefined,
    tagsJson: undefined,
    promptTemplate: undefined,
    promptVariablesJson: undefined,
    attributes: undefined,
    attributesJson: undefined,
    propagate: options?.propagate === true,
  };
}

/** Runs `fn` (sync or async) so that every span started inside it carries `session.id`; returns its result. */
export function withSession<T>(sessionId: string, fn: () => T, options?: ScopeOptions): T {
  // The most common call, so the direct path: one context write, no scope object.
  const id = isCleanId(sessionId) ? sessionId : cleanId(sessionId, "sessionId", "withSession");
  if (id === undefined) return fn();
  const ctx = context.active().setValue(SESSION_KEY, id);
  return context.with(options?.propagate === true ? addIdsToBaggage(ctx, id, undefined) : ctx, fn);
}

/** Runs `fn` so that every span started inside it carries `user.id`; returns its result. */
export function withUser<T>(userId: string, fn: () => T, options?: ScopeOptions): T {
  const id = isCleanId(userId) ? userId : cleanId(userId, "userId", "withUser");
  if (id === undefined) return fn();
  const ctx = context.active().setValue(USER_KEY, id);
  return context.with(options?.propagate === true ? addIdsToBaggage(ctx, undefined, id) : ctx, fn);
}

/** Runs `fn` with `metadata` merged (shallowly) into the enclosing metadata; returns its result. */
export function withMetadata<T>(metadata: Record<string, unknown>, fn: () => T): T {
  return run("withMetadata", fn, () => prepare({ metadata }, "withMetadata"));
}

/** Runs `fn` with `tags` added to the enclosing tags; returns its result. */
export function withTags<T>(tags: string[], fn: () => T): T {
  return run("withTags", fn, () => prepare({ tags }, "withTags"));
}

/** Runs `fn` with the prompt template (template, variables, version) replacing the enclosing one. */
export function withPromptTemplate<T>(promptTemplate: PromptTemplate, fn: () => T): T {
  return run("withPromptTemplate", fn, () => prepare({ promptTemplate }, "withPromptTemplate"));
}

/** Runs `fn` with any of session, user, metadata, tags, prompt template and attributes; returns its result. */
export function withAttributes<T>(attributes: ThreadlineAttributes, fn: () => T, options?: ScopeOptions): T {
  return run("withAttributes", fn, () => prepare(attributes, "withAttributes", options));
}

/** `usingSession(id)(fn)` is `fn` running in that session on every call; also a TC39 method decorator. */
export function usingSession(sessionId: string, options?: ScopeOptions): Wrapper {
  return wrapper("usingSession", () => prepare({ sessionId }, "usingSession", options));
}

export function usingUser(userId: string, options?: ScopeOptions): Wrapper {
  return wrapper("usingUser", () => prepare({ userId }, "usingUser", options));
}

export function usingMetadata(metadata: Record<string, unknown>): Wrapper {
  return wrapper("usingMetadata", () => prepare({ metadata }, "usingMetadata"));
}

export function usingTags(tags: string[]): Wrapper {
  return wrapper("usingTags", () => prepare({ tags }, "usingTags"));
}

export function usingPromptTemplate(promptTemplate: PromptTemplate): Wrapper {
  return wrapper("usingPromptTemplate", () => prepare({ promptTemplate }, "usingPromptTemplate"));
}

export function usingAttributes(attributes: ThreadlineAttributes, options?: ScopeOptions): Wrapper {
  return wrapper("usingAttributes", () => prepare(attributes, "usingAttributes", options));
}

/**
 * Runs `fn` with tracing suppressed: OpenInference instrumentations (and every other tracer of the
 * OpenTelemetry SDK) create no spans inside. For calls you don't want recorded, e.g. an evaluator's LLM.
 */
export function suppressTracing<T>(fn: () => T): T {
  return context.with(suppressedContext(context.active()), fn);
}

/** Wraps a function so each call runs in the scope; as a decorator it keeps `this`. */
export type Wrapper = <F extends AnyFunction>(fn: F, decoratorContext?: ClassMethodDecoratorContext) => F;

function wrapper(caller: string, build: () => Scope | undefined): Wrapper {
  const prepared = validated(caller, build); // validate once, not per call
  return <F extends AnyFunction>(fn: F): F => {
    if (typeof fn !== "function") {
      reject(caller, "fn", `must be a function, got ${describe(fn)}`);
      return fn;
    }
    if (prepared === undefined) return fn;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return context.with(enter(caller, prepared), fn as unknown as (...a: unknown[]) => unknown, this, ...args);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name });
    return wrapped as unknown as F;
  };
}

function run<T>(caller: string, fn: () => T, build: () => Scope | undefined): T {
  const prepared = validated(caller, build);
  return prepared === undefined ? fn() : context.with(enter(caller, prepared), fn);
}

/** Builds the scope; strict-mode errors go to the caller, anything else unexpected is logged and ignored. */
function validated(caller: string, build: () => Scope | undefined): Scope | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof ThreadlineValidationError) throw error;
    diag.warn(`threadline: ${caller}: could not set attributes`, error);
    return undefined;
  }
}


/** Validates each field on its own (a bad one is dropped, the rest apply) and serializes what can be, once. */
function prepare(attributes: ThreadlineAttributes, caller: string, options?: ScopeOptions): Scope | undefined {
  if (typeof attributes !== "object" || attributes === null) {
    reject(caller, "attributes", `must be an object, got ${describe(attributes)}`);
    return undefined;
  }
  const { sessionId, userId, metadata, tags, promptTemplate, attributes: extra } = attributes;
  const scope = emptyScope(options);
  if (sessionId !== undefined) scope.sessionId = cleanId(sessionId, "sessionId", caller);
  if (userId !== undefined) scope.userId = cleanId(userId, "userId", caller);
  if (metadata !== undefined) {
    scope.metadataJson = objectJson(metadata, "metadata", caller);
    if (scope.metadataJson !== undefined) scope.metadata = metadata;
  }
  if (tags !== undefined) {
    scope.tags = cleanTags(tags, caller);
    if (scope.tags !== undefined) scope.tagsJson = JSON.stringify(scope.tags);
  }
  if (promptTemplate !== undefined) {
    scope.promptTemplate = cleanPromptTemplate(promptTemplate, caller);
    if (scope.promptTemplate?.variables) scope.promptVariablesJson = JSON.stringify(scope.promptTemplate.variables);
  }
  if (extra !== undefined) {
    scope.attributes = cleanAttributes(extra, caller);
    if (scope.attributes !== undefined) scope.attributesJson = JSON.stringify(scope.attributes);
  }
  return scope;
}

/**
 * The active context plus the scope: ids replace, metadata and attributes merge, tags add up, a prompt
 * template replaces the whole outer one. All values go in with one context copy instead of one per key.
 */
function enter(caller: string, scope: Scope): Context {
  const active = context.active();
  try {
    const values = new Map<symbol, unknown>();
    if (scope.sessionId !== undefined) values.set(SESSION_KEY, scope.sessionId);
    if (scope.userId !== undefined) values.set(USER_KEY, scope.userId);
    if (scope.metadata !== undefined) values.set(METADATA_KEY, mergedJson(active.getValue(METADATA_KEY), scope.metadata, scope.metadataJson));
    if (scope.attributes !== undefined) values.set(ATTRIBUTES_KEY, mergedJson(active.getValue(ATTRIBUTES_KEY), scope.attributes, scope.attributesJson));
    if (scope.tags !== undefined) values.set(TAGS_KEY, unionJson(active.getValue(TAGS_KEY), scope.tags, scope.tagsJson));
    if (scope.promptTemplate !== undefined) {
      values.set(TEMPLATE_KEY, scope.promptTemplate.template);
      values.set(TEMPLATE_VARIABLES_KEY, scope.promptVariablesJson); // undefined clears the outer template's
      values.set(TEMPLATE_VERSION_KEY, scope.promptTemplate.version);
    }
    const ctx = withValues(active, values);
    return scope.propagate ? addIdsToBaggage(ctx, scope.sessionId, scope.userId) : ctx;
  } catch (error) {
    diag.warn(`threadline: ${caller}: could not set attributes`, error);
    return active;
  }
}

function mergedJson(outer: unknown, inner: Record<string, unknown>, innerJson: string | undefined): string | undefined {
  if (typeof outer !== "string") return innerJson;
  const parsed = core.safelyJSONParse(outer);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return innerJson;
  return JSON.stringify({ ...parsed, ...inner });
}

function unionJson(outer: unknown, inner: string[], innerJson: string | undefined): string | undefined {
  const outerTags = typeof outer === "string" ? parseTags(outer) : undefined;
  if (!outerTags?.length) return innerJson;
  return JSON.stringify([...new Set([...outerTags, ...inner])]);
}
