// How well the built-in user_frustration evaluator reads people, on the labelled set in
// bench/evaluations: precision and recall of "frustrated", accuracy over the three labels, and how
// often the first frustrated turn is the labelled one, overall and per language, beside the
// targets. Runs in well under a second.
//   node bench/evaluators.bench.ts [--verbose]
import { userFrustration } from "../packages/server/src/evaluate/evaluators/frustration.ts";
import type { Transcript } from "../packages/server/src/evaluate/transcript.ts";
import { FRUSTRATION_SET, type LabelledConversation } from "./evaluations/frustration-set.ts";
import { flag } from "./lib/config.ts";
import { machine, writeSummary } from "./lib/report.ts";
import { table } from "./lib/stats.ts";

export const TARGET_PRECISION = 0.8;
export const TARGET_RECALL = 0.8;

function transcriptOf(c: LabelledConversation): Transcript {
  return {
    project: "bench", sessionId: c.id, omitted: 0,
    turns: c.turns.map(([user, assistant], i) => ({
      turn: i + 1, traceId: `${c.id}-${i + 1}`, startTime: "", user: [user], assistant: assistant ? [assistant] : [],
      error: c.failAt?.includes(i + 1) ? { spanId: "s", spanName: "llm", message: "failed" } : null,
    })),
  };
}

interface Scores { n: number; precision: number; recall: number; accuracy: number; firstTurn: number; firstTurnOf: number }

function score(rows: Array<{ c: LabelledConversation; label: string; turn: number | null }>): Scores {
  const tp = rows.filter((r) => r.label === "frustrated" && r.c.label === "frustrated").length;
  const fp = rows.filter((r) => r.label === "frustrated" && r.c.label !== "frustrated").length;
  const fn = rows.filter((r) => r.label !== "frustrated" && r.c.label === "frustrated").length;
  const both = rows.filter((r) => r.label === "frustrated" && r.c.label === "frustrated");
  return {
    n: rows.length,
    precision: tp / Math.max(1, tp + fp),
    recall: tp / Math.max(1, tp + fn),
    accuracy: rows.filter((r) => r.label === r.c.label).length / rows.length,
    firstTurn: both.filter((r) => r.turn === r.c.firstFrustrated).length / Math.max(1, both.length),
    firstTurnOf: both.length,
  };
}

// Twice: the first pass loads the word lists (seconds, once per process); the second is the cost of reading.
const firstStarted = performance.now();
for (const c of FRUSTRATION_SET) await userFrustration.run(transcriptOf(c));
const loadMs = performance.now() - firstStarted;
const started = performance.now();
const rows: Array<{ c: LabelledConversation; label: string; turn: number | null; explanation: string }> = [];
for (const c of FRUSTRATION_SET) {
  const result = await userFrustration.run(transcriptOf(c));
  rows.push({ c, label: result?.label ?? "none", turn: (result?.metadata?.turn as number | undefined) ?? null, explanation: result?.explanation ?? "" });
}
const ms = performance.now() - started;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
console.log(`# evaluators bench  ${machine()}`);
console.log(`user_frustration on ${FRUSTRATION_SET.length} labelled conversations (${rows.filter((r) => r.c.label === "frustrated").length} frustrated): ${ms.toFixed(0)} ms (the first pass, loading the word lists, ${loadMs.toFixed(0)} ms)\n`);
const overall = score(rows);
const groups: Array<[string, Scores]> = [["all", overall], ...(["en", "es", "de", "fr"] as const).map((l) => [l, score(rows.filter((r) => r.c.language === l))] as [string, Scores])];
console.log(table(["set", "n", "precision (frustrated)", "recall (frustrated)", "accuracy (3 labels)", "first frustrated turn right"],
  groups.map(([name, s]) => [name, String(s.n), pct(s.precision), pct(s.recall), pct(s.accuracy), `${pct(s.firstTurn)} of ${s.firstTurnOf}`])));
const pass = overall.precision >= TARGET_PRECISION && overall.recall >= TARGET_RECALL;
console.log(`\ntargets: precision >= ${pct(TARGET_PRECISION)}, recall >= ${pct(TARGET_RECALL)}: ${pass ? "PASS" : "FAIL"}`);
const wrong = rows.filter((r) => r.label !== r.c.label || (r.c.label === "frustrated" && r.turn !== r.c.firstFrustrated));
if (wrong.length) {
  console.log("\nmissed or mislabelled:");
  for (const r of wrong) console.log(`  ${r.c.id}: labelled ${r.c.label}${r.c.firstFrustrated ? ` from turn ${r.c.firstFrustrated}` : ""}, got ${r.label}${r.turn ? ` (turn ${r.turn})` : ""}${flag("verbose") ? ` — ${r.explanation}` : ""}`);
}
writeSummary({ bench: "evaluators", ...overall, pass, conversations: FRUSTRATION_SET.length });
