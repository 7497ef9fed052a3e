// One project's redaction, compiled: replaces what its detectors find in a text with
// `[redacted:<detector>]`, counting each replacement.
import { RE2JS } from "re2js";
import { DETECTORS, type Detector } from "./detectors.ts";
import type { ProjectRedaction } from "./settings.ts";

/** Replacements by detector name. */
export type Tally = Map<string, number>;

interface Rule {
  name: string;
  /** The text with this rule's matches replaced (the same string when there are none). */
  replace(text: string, tally: Tally): string;
  /** Whether it finds anything in the text. */
  finds(text: string): boolean;
}

export const marker = (name: string) => `[redacted:${name}]`;
const count = (tally: Tally, name: string) => tally.set(name, (tally.get(name) ?? 0) + 1);

function builtInRule(detector: Detector): Rule {
  const { name, pattern, accept, mayMatch } = detector;
  const replacement = marker(name);
  return {
    name,
    replace(text, tally) {
      if (mayMatch && !mayMatch(text)) return text;
      return text.replace(pattern, (match) => {
        if (accept && !accept(match)) return match;
        count(tally, name);
        return replacement;
      });
    },
    finds(text) {
      if (mayMatch && !mayMatch(text)) return false;
      for (const match of text.matchAll(pattern)) if (!accept || accept(match[0])) return true;
      return false;
    },
  };
}

/** A pattern of the project's own, matched by RE2 in linear time (settings.ts refuses the rest). */
function customRule(name: string, source: string): Rule {
  const compiled = RE2JS.compile(source);
  const replacement = marker(name);
  return {
    name,
    replace(text, tally) {
      const matcher = compiled.matcher(text);
      let out = "";
      let from = 0;
      while (matcher.find()) {
        const start = matcher.start();
        const end = matcher.end();
        if (end === start) continue;
        out += text.slice(from, start) + replacement;
        from = end;
        count(tally, name);
      }
      return from === 0 ? text : out + text.slice(from);
    },
    finds: (text) => compiled.matcher(text).find(),
  };
}

export class RuleSet {
  readonly #rules: Rule[];

  constructor(redaction: ProjectRedaction) {
    this.#rules = [...redaction.detectors.map((name) => builtInRule(DETECTORS[name])), ...redaction.patterns.map((p) => customRule(p.name, p.pattern))];
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Each rule in turn, so what one replaced is not found again by the next. */
  replace(text: string, tally: Tally): string {
    let result = text;
    for (const rule of this.#rules) result = rule.replace(result, tally);
    return result;
  }

  /** The first rule that finds something in the text, or null. */
  detect(text: string): string | null {
    for (const rule of this.#rules) if (rule.finds(text)) return rule.name;
    return null;
  }
}
