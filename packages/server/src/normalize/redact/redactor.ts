// Redaction on the ingest path: after normalizing, before the writer, every text a span record
// carries (attributes, events, resource, name, status, input and output, messages, tags,
// metadata) goes through its project's rules, so neither the stored spans, the rollups nor the
// search index ever hold what a rule finds. A session or user id a rule finds in is replaced
// whole by a keyed pseudonym instead: `email:` + HMAC-SHA256 of the id, so grouping still works.
import { createHmac } from "node:crypto";
import type { SpanRecord } from "../../store/records.ts";
import { MAX_ID_LENGTH } from "../identity.ts";
import { RuleSet, type Tally } from "./rules.ts";
import { projectRedaction, type RedactionPlan } from "./settings.ts";

/** [project, detector, values replaced]. */
export type RedactionCount = [project: string, detector: string, count: number];

/** Hex characters of the HMAC a pseudonym keeps: 64 bits, no collision among any app's users. */
const PSEUDONYM_HEX = 16;

type Identity = { pseudonym: string; detector: string } | null;
/** A text unchanged or changed with nothing to count, or what it became and the replacements made. */
type Scanned = string | { result: string; counts: Array<[string, number]> };

/** What one request's spans of one project are redacted with. */
class Scrubber {
  readonly rules: RuleSet;
  /** What the stored values count towards; derived copies (input, messages, tags) count nowhere. */
  tally: Tally;
  readonly #counted: Tally;
  readonly #uncounted: Tally = new Map();
  readonly #scratch: Tally = new Map();
  /** Each distinct text of the request, scanned once: what it became (and what that counted). */
  readonly #seen = new Map<string, Scanned>();
  #pseudonyms = 0;
  /** Session and user ids seen in this request: their pseudonym, or null when no rule finds anything in them. */
  readonly #ids = new Map<string, Identity>();

  constructor(rules: RuleSet) {
    this.rules = rules;
    this.#counted = this.tally = new Map();
  }

  /** The id, or its pseudonym when a rule finds something in it. */
  identify(id: string, pseudonymOf: (detector: string) => string): string {
    let identity = this.#ids.get(id);
    if (identity === undefined) {
      const detector = this.rules.detect(id);
      identity = detector ? { pseudonym: pseudonymOf(detector), detector } : null;
      this.#ids.set(id, identity);
      if (identity) this.#pseudonyms++;
    }
    return identity?.pseudonym ?? id;
  }

  counted(): Tally {
    return this.#counted;
  }

  /** Runs `fn` counting nothing (for fields derived from what is already counted). */
  uncounted<T>(fn: () => T): T {
    this.tally = this.#uncounted;
    try {
      return fn();
    } finally {
      this.tally = this.#counted;
    }
  }

  /** A string value: an identity becomes its pseudonym, any other text is scrubbed. */
  leaf(text: string): string {
    if (this.#pseudonyms > 0 && text.length <= MAX_ID_LENGTH + 64) {
      const identity = this.#ids.get(text.trim());
      if (identity) {
        this.#add(identity.detector, 1);
        return identity.pseudonym;
      }
    }
    return this.text(text);
  }

  /**
   * Text that holds JSON (OpenInference's input.value, metadata, tool arguments) is redacted
   * inside, leaf by leaf, when anything is found or when escapes could hide a match from the plain
   * scan (`\u0040` for @): a replacement must never break the JSON the readers parse again, and a
   * value read out of it must be redacted exactly like the same value elsewhere.
   */
  text(text: string): string {
    // Chat traffic repeats itself (every call re-sends the history, every span the same keys): of
    // ~31 strings a span, ~2.6 are new in its request, so each distinct text is scanned once per
    // request. Timed on the bench's chat traffic (4,000 spans, 1.5 KB each on the wire), decode and
    // normalize take ~27 µs a span; redaction adds ~10-13 µs with the default (API keys), ~19 µs with
    // all four detectors and a pattern of your own; without this cache it was ~29 µs.
    let known = this.#seen.get(text);
    if (known === undefined) this.#seen.set(text, (known = this.#scan(text)));
    if (typeof known === "string") return known;
    for (const [name, n] of known.counts) this.#add(name, n);
    return known.result;
  }

  #scan(text: string): Scanned {
    const scratch = this.#scratch;
    scratch.clear();
    const replaced = this.rules.replace(text, scratch);
    const escaped = text.includes("\\u") || text.includes("\\/");
    if (replaced === text && !escaped) return text;
    if (looksLikeJson(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) {
        const outer = this.tally;
        const counts: Tally = (this.tally = new Map());
        let scrubbed: unknown;
        try {
          scrubbed = this.value(parsed);
        } finally {
          this.tally = outer;
        }
        const result = scrubbed === parsed ? text : JSON.stringify(scrubbed);
        return counts.size > 0 ? { result, counts: [...counts] } : result;
      }
    }
    return scratch.size > 0 ? { result: replaced, counts: [...scratch] } : replaced;
  }

  /** Any attribute value, copied only where something changes. */
  value(value: unknown): unknown {
    if (typeof value === "string") return this.leaf(value);
    if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const scrubbed = this.value(value[i]);
        if (scrubbed !== value[i]) (out ??= [...value])[i] = scrubbed;
      }
      return out ?? value;
    }
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    let index = 0;
    for (const key in record) {
      const item = record[key];
      const k = this.text(key);
      const v = this.value(item);
      if (out === undefined && (k !== key || v !== item)) {
        // The first change: copy what came before it, then go on into the copy.
        out = {};
        let i = 0;
        for (const earlier in record) {
          if (i++ === index) break;
          put(out, earlier, record[earlier]);
        }
      }
      if (out !== undefined) put(out, k, v);
      index++;
    }
    return out ?? record;
  }

  #add(name: string, n: number): void {
    this.tally.set(name, (this.tally.get(name) ?? 0) + n);
  }
}

/** An own property even for a key like `__proto__`, which plain assignment would take as the prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[" || first === '"';
}

export class Redactor {
  readonly #plan: RedactionPlan;
  readonly #key: Buffer;
  readonly #sets = new Map<string, RuleSet>();

  constructor(plan: RedactionPlan) {
    this.#plan = plan;
    this.#key = Buffer.from(plan.secret, "hex");
  }

  /** The project's rules, compiled once per thread. */
  rules(project: string): RuleSet {
    let rules = this.#sets.get(project);
    if (!rules) this.#sets.set(project, (rules = new RuleSet(projectRedaction(this.#plan.defaults, this.#plan.projects?.[project]?.redaction))));
    return rules;
  }

  /** `email:3f1c…`: stable for the same id under the same install's key, and not reversible without it. */
  pseudonym(detector: string, id: string): string {
    return `${detector}:${createHmac("sha256", this.#key).update(id).digest("hex").slice(0, PSEUDONYM_HEX)}`;
  }

  /** Redacts the spans in place; what was replaced, by project and detector. */
  redact(spans: SpanRecord[]): RedactionCount[] {
    const scrubbers = new Map<string, Scrubber | null>();
    const scrubberOf = (project: string) => {
      let scrubber = scrubbers.get(project);
      if (scrubber === undefined) {
        const rules = this.rules(project);
        scrubbers.set(project, (scrubber = rules.empty ? null : new Scrubber(rules)));
      }
      return scrubber;
    };
    // Identities first: a resource shared by many spans may carry any of their ids.
    for (const span of spans) {
      const scrubber = scrubberOf(span.project);
      if (!scrubber) continue;
      if (span.sessionId !== null) span.sessionId = scrubber.identify(span.sessionId, (detector) => this.pseudonym(detector, span.sessionId!));
      if (span.userId !== null) span.userId = scrubber.identify(span.userId, (detector) => this.pseudonym(detector, span.userId!));
    }
    const resources = new Map<object, SpanRecord["resource"]>();
    for (const span of spans) {
      const scrubber = scrubberOf(span.project);
      if (!scrubber) continue;
      let resource = resources.get(span.resource);
      if (!resource) resources.set(span.resource, (resource = scrubber.value(span.resource) as SpanRecord["resource"]));
      span.resource = resource;
      span.name = scrubber.leaf(span.name);
      if (span.statusMessage) span.statusMessage = scrubber.leaf(span.statusMessage);
      span.attributes = scrubber.value(span.attributes) as SpanRecord["attributes"];
      span.events = scrubber.value(span.events) as SpanRecord["events"];
      scrubber.uncounted(() => {
        if (span.input) span.input = scrubber.leaf(span.input);
        if (span.output) span.output = scrubber.leaf(span.output);
        if (span.inputMessages) span.inputMessages = scrubber.value(span.inputMessages) as SpanRecord["inputMessages"];
        if (span.outputMessages) span.outputMessages = scrubber.value(span.outputMessages) as SpanRecord["outputMessages"];
        span.tags = scrubber.value(span.tags) as string[];
        span.metadata = scrubber.value(span.metadata) as SpanRecord["metadata"];
      });
    }
    const counts: RedactionCount[] = [];
    for (const [project, scrubber] of scrubbers) for (const [detector, n] of scrubber?.counted() ?? []) counts.push([project, detector, n]);
    return counts;
  }
}
