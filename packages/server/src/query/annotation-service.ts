// Annotations and evaluations: validates what clients send and shapes what the store returns.
import { ANNOTATOR_KINDS, type Annotation, type AnnotationDistribution, type AnnotationList, type AnnotationNames } from "../api/types.ts";
import type { DistributionQuery } from "../api/route-schemas.ts";
import type { ChangeFeed } from "../pipeline/change-feed.ts";
import type { AnnotationRecord, AnnotationTargetRecord } from "../store/records.ts";
import type { AnnotationFields, Store } from "../store/store.ts";
import { parseTime, QueryError, requireProject } from "./params.ts";
import { iso } from "./shapes.ts";

const MAX_TEXT = 10_000;

export class AnnotationService {
  readonly #store: Store;
  readonly #changes: ChangeFeed | undefined;

  constructor(store: Store, changes?: ChangeFeed) {
    this.#store = store;
    this.#changes = changes;
  }

  /** Live pages refresh the annotated session and trace. */
  #announce(a: AnnotationRecord): void {
    this.#changes?.touched(a.project, a.sessionId, a.target.type === "session" ? null : a.target.traceId);
  }

  /** Creates, or replaces the one with the same target, name and identifier. */
  async put(project: string, target: AnnotationTargetRecord, body: unknown): Promise<{ annotation: Annotation; created: boolean }> {
    const fields = parseFields(body);
    const result = await this.#store.upsertAnnotation(project, target, fields);
    if (!result) throw new QueryError(404, `no ${describe(target)} in project "${project}"`);
    this.#announce(result.annotation);
    return { annotation: annotationView(result.annotation), created: result.created };
  }

  async patch(project: string, id: string, body: unknown): Promise<Annotation> {
    const patch = parseFields(body, true);
    const updated = await this.#store.updateAnnotation(project, id, patch);
    if (!updated) throw new QueryError(404, `no annotation "${id}" in project "${project}"`);
    this.#announce(updated);
    return annotationView(updated);
  }

  async delete(project: string, id: string): Promise<void> {
    const deleted = await this.#store.deleteAnnotation(project, id);
    if (!deleted) throw new QueryError(404, `no annotation "${id}" in project "${project}"`);
    this.#announce(deleted);
  }

  async list(project: string, target: AnnotationTargetRecord): Promise<AnnotationList> {
    return { annotations: (await this.#store.listAnnotations(project, target)).map(annotationView) };
  }

  async names(project: string): Promise<AnnotationNames> {
    return { names: await this.#store.annotationNames(project) };
  }

  async distribution(project: string, name: string, query: DistributionQuery): Promise<AnnotationDistribution> {
    await requireProject(this.#store, project);
    const now = Date.now();
    const fromUs = parseTime("from", query.from || "30d", now);
    const toUs = query.to ? parseTime("to", query.to, now) : now * 1000;
    if (fromUs > toUs) throw new QueryError(400, "from must not be after to");
    const { bucketUs, series } = await this.#store.annotationDistribution(project, name, fromUs, toUs);
    return {
      name, from: iso(fromUs), to: iso(toUs), bucketMs: bucketUs / 1000,
      series: series.map(({ startUs, ...point }) => ({ time: iso(startUs), ...point })),
    };
  }
}

function describe(target: AnnotationTargetRecord): string {
  return target.type === "session" ? `session "${target.sessionId}"` : target.type === "trace" ? `trace "${target.traceId}"` : `span "${target.spanId}" in trace "${target.traceId}"`;
}

export function annotationView(a: AnnotationRecord): Annotation {
  return {
    id: a.id,
    target: a.target,
    name: a.name,
    label: a.label,
    score: a.score,
    explanation: a.explanation,
    annotatorKind: a.annotatorKind,
    identifier: a.identifier,
    metadata: a.metadata,
    createdAt: iso(a.createdUs),
    updatedAt: iso(a.updatedUs),
  };
}

/** Checks an annotation body; a PATCH may leave fields out (and cannot change name or identifier). */
function parseFields(body: unknown, partial: true): Partial<Omit<AnnotationFields, "name" | "identifier">>;
function parseFields(body: unknown, partial?: false): AnnotationFields;
function parseFields(body: unknown, partial = false): Partial<AnnotationFields> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new QueryError(400, "the body must be a JSON object");
  const b = body as Record<string, unknown>;
  const out: Partial<AnnotationFields> = {};
  const text = (field: string, max: number): string | null | undefined => {
    const value = b[field];
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value !== "string") throw new QueryError(400, `${field} must be a string or null`);
    if (value.length > max) throw new QueryError(400, `${field} is longer than ${max} characters`);
    return value;
  };
  if (partial) {
    if ("name" in b || "identifier" in b) throw new QueryError(400, "name and identifier cannot be changed; create another annotation");
  } else {
    const name = text("name", 200)?.trim();
    if (!name) throw new QueryError(400, "name is required (a non-empty string)");
    out.name = name;
    out.identifier = text("identifier", 200)?.trim() ?? "";
  }
  const label = text("label", 200);
  if (label !== undefined) out.label = label;
  const explanation = text("explanation", MAX_TEXT);
  if (explanation !== undefined) out.explanation = explanation;
  if (b.score !== undefined) {
    if (b.score !== null && (typeof b.score !== "number" || !Number.isFinite(b.score))) throw new QueryError(400, "score must be a finite number or null");
    out.score = b.score as number | null;
  }
  if (b.annotatorKind !== undefined) {
    if (!ANNOTATOR_KINDS.includes(b.annotatorKind as never)) throw new QueryError(400, `annotatorKind must be one of ${ANNOTATOR_KINDS.join(", ")}`);
    out.annotatorKind = b.annotatorKind as AnnotationFields["annotatorKind"];
  }
  if (b.metadata !== undefined) {
    if (b.metadata !== null && (typeof b.metadata !== "object" || Array.isArray(b.metadata))) throw new QueryError(400, "metadata must be an object or null");
    if (b.metadata !== null && JSON.stringify(b.metadata).length > MAX_TEXT) throw new QueryError(400, `metadata is longer than ${MAX_TEXT} characters as JSON`);
    out.metadata = b.metadata as Record<string, unknown> | null;
  }
  if (partial) return out;
  const full = { label: null, score: null, explanation: null, annotatorKind: "HUMAN" as const, metadata: null, ...out } as AnnotationFields;
  if (full.label == null && full.score == null && full.explanation == null) {
    throw new QueryError(400, "an annotation needs a label, a score or an explanation");
  }
  return full;
}
