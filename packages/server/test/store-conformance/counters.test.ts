// Counters kept per project: the LLM judges' use per UTC day, and what redaction replaced.
import { conformance, same } from "./harness.ts";

conformance("llm usage and redaction counts", [], (check) => {
  check("LLM usage adds up per project and day", ["addLlmUsage", "llmUsage"], async (store) => {
    await store.addLlmUsage("a", "2026-01-05", 2, 300);
    await store.addLlmUsage("a", "2026-01-05", 1, 50);
    await store.addLlmUsage("b", "2026-01-05", 4, 1000);
    await store.addLlmUsage("a", "2026-01-06", 1, 10);
    const byProject = (rows: Array<{ project: string }>) => [...rows].sort((x, y) => (x.project < y.project ? -1 : 1));
    return { day: byProject(await store.llmUsage("2026-01-05")), next: await store.llmUsage("2026-01-06"), none: await store.llmUsage("2026-01-07") };
  }, (a) => same(a, {
    day: [{ project: "a", calls: 3, tokens: 350 }, { project: "b", calls: 4, tokens: 1000 }],
    next: [{ project: "a", calls: 1, tokens: 10 }],
    none: [],
  }));

  check("redaction counts add up per project and detector", ["addRedactions", "redactionCounts"], async (store) => {
    await store.addRedactions([["a", "email", 2], ["a", "api-key", 1], ["b", "email", 5]]);
    await store.addRedactions([["a", "email", 3]]);
    return { a: await store.redactionCounts("a"), b: await store.redactionCounts("b"), none: await store.redactionCounts("c") };
  }, (a) => same(a, { a: { email: 5, "api-key": 1 }, b: { email: 5 }, none: {} }));
});
