// The TypeScript forms of OpenInference's context managers (`using_session`, `using_attributes`, ...):
// `withX(value, fn)` runs fn in the context, `usingX(value)` wraps a function (or decorates a method).
import { context, diag, type Attributes, type Context } from "@opentelemetry/api";
import { suppressTracing as suppressedContext } from "@opentelemetry/core";
import * as core from "@arizeai/openinference-core";
import { ATTRIBUTES_KEY, METADATA_KEY, TAGS_KEY, parseTags } from "./attributes.ts";
import { addIdsToBaggage } from "./baggage.ts";
import {
  ThreadlineValidationError,
  cleanAttributes,
  cleanId,
  cleanObject,
  cleanPromptTemplate,
  cleanTags,
  describe,
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
  sessionId?: string;
  userId?: string;
  metadata?: Record<string, unknown>;
  metadataJson?: string;
  tags?: string[];
  tagsJson?: string;
  promptTemplate?: PromptTemplate;
  attributes?: Attributes;
  attributesJson?: string;
  propagate: boolean;
};

/** Runs `fn` (sync or async) so that every span started inside it carries `session.id`; returns its result. */
export function withSession<T>(sessionId: string, fn: () => T, options?: ScopeOptions): T {
  return run("withSession", () => scope({ sessionId: cleanId(sessionId, "sessionId", "withSession") }, options), fn);
}

/** Runs `fn` so that every span started inside it carries `user.id`; returns its result. */
export function withUser<T>(userId: string, fn: () => T, options?: ScopeOptions): T {
  return run("withUser", () => scope({ userId: cleanId(userId, "userId", "withUser") }, options), fn);
}

/** Runs `fn` with `metadata` merged (shallowly) into the enclosing metadata; returns its result. */
export function withMetadata<T>(metadata: Record<string, unknown>, fn: () => T): T {
  return run("withMetadata", () => scope({ metadata: cleanObject(metadata, "metadata", "withMetadata") }), fn);
}

/** Runs `fn` with `tags` added to the enclosing tags; returns its result. */
export function withTags<T>(tags: string[], fn: () => T): T {
  return run("withTags", () => scope({ tags: cleanTags(tags, "withTags") }), fn);
}

/** Runs `fn` with the prompt template (template, variables, version) replacing the enclosing one. */
export function withPromptTemplate<T>(promptTemplate: PromptTemplate, fn: () => T): T {
  return run("withPromptTemplate", () => scope({ promptTemplate: cleanPromptTemplate(promptTemplate, "withPromptTemplate") }), fn);
}

/** Runs `fn` with any of session, user, metadata, tags, prompt template and attributes; returns its result. */
export function withAttributes<T>(attributes: ThreadlineAttributes, fn: () => T, options?: ScopeOptions): T {
  return run("withAttributes", () => prepare(attributes, "withAttributes", options), fn);
}

/** `usingSession(id)(fn)` is `fn` running in that session on every call; also a TC39 method decorator. */
export function usingSession(sessionId: string, options?: ScopeOptions): Wrapper {
  return wrapper("usingSession", () => scope({ sessionId: cleanId(sessionId, "sessionId", "usingSession") }, options));
}

export function usingUser(userId: string, options?: ScopeOptions): Wrapper {
  return wrapper("usingUser", () => scope({ userId: cleanId(userId, "userId", "usingUser") }, options));
}

export function usingMetadata(metadata: Record<string, unknown>): Wrapper {
  return wrapper("usingMetadata", () => scope({ metadata: cleanObject(metadata, "metadata", "usingMetadata") }));
}

export function usingTags(tags: string[]): Wrapper {
  return wrapper("usingTags", () => scope({ tags: cleanTags(tags, "usingTags") }));
}

export function usingPromptTemplate(promptTemplate: PromptTemplate): Wrapper {
  return wrapper("usingPromptTemplate", () => scope({ promptTemplate: cleanPromptTemplate(promptTemplate, "usingPromptTemplate") }));
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
      return context.with(enter(caller, prepared), fn as (...a: unknown[]) => unknown, this, ...args);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name });
    return wrapped as unknown as F;
  };
}

function run<T>(caller: string, build: () => Scope | undefined, fn: () => T): T {
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

function prepare(attributes: ThreadlineAttributes, caller: string, options?: ScopeOptions): Scope | undefined {
  if (typeof attributes !== "object" || attributes === null) {
    reject(caller, "attributes", `must be an object, got ${describe(attributes)}`);
    return undefined;
  }
  const { sessionId, userId, metadata, tags, promptTemplate, attributes: extra } = attributes;
  return scope(
    {
      sessionId: sessionId === undefined ? undefined : cleanId(sessionId, "sessionId", caller),
      userId: userId === undefined ? undefined : cleanId(userId, "userId", caller),
      metadata: metadata === undefined ? undefined : cleanObject(metadata, "metadata", caller),
      tags: tags === undefined ? undefined : cleanTags(tags, caller),
      promptTemplate: promptTemplate === undefined ? undefined : cleanPromptTemplate(promptTemplate, caller),
      attributes: extra === undefined ? undefined : cleanAttributes(extra, caller),
    },
    options,
  );
}

/** Serializes once what can be, so entering the scope usually costs a few context writes. */
function scope(values: Omit<Scope, "propagate" | "metadataJson" | "tagsJson" | "attributesJson">, options?: ScopeOptions): Scope {
  return {
    ...values,
    metadataJson: values.metadata && JSON.stringify(values.metadata),
    tagsJson: values.tags && JSON.stringify(values.tags),
    attributesJson: values.attributes && JSON.stringify(values.attributes),
    propagate: options?.propagate === true,
  };
}

/** The active context plus the scope: ids replace, metadata and attributes merge, tags add up. */
function enter(caller: string, scope: Scope): Context {
  const active = context.active();
  try {
    let ctx = active;
    if (scope.sessionId !== undefined) ctx = core.setSession(ctx, { sessionId: scope.sessionId });
    if (scope.userId !== undefined) ctx = core.setUser(ctx, { userId: scope.userId });
    if (scope.metadata) ctx = ctx.setValue(METADATA_KEY, mergedJson(ctx.getValue(METADATA_KEY), scope.metadata, scope.metadataJson));
    if (scope.attributes) ctx = ctx.setValue(ATTRIBUTES_KEY, mergedJson(ctx.getValue(ATTRIBUTES_KEY), scope.attributes, scope.attributesJson));
    if (scope.tags) ctx = ctx.setValue(TAGS_KEY, unionJson(ctx.getValue(TAGS_KEY), scope.tags, scope.tagsJson));
    if (scope.promptTemplate) ctx = core.setPromptTemplate(core.clearPromptTemplate(ctx), scope.promptTemplate);
    if (scope.propagate) ctx = addIdsToBaggage(ctx, scope.sessionId, scope.userId);
    return ctx;
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
