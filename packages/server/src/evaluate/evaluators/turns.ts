// errors, repetition and unanswered: what went wrong in the assistant's turns.
import { ALL_REFUSALS, includesAny, normalize, similarity } from "./language.ts";
import { pointAt, quote, round, type Evaluator } from "./types.ts";

export const errors: Evaluator = {
  name: "errors",
  worst: { label: "failed", score: "higher" },
  description: "The turns that failed, with the span and its message.",
  run(transcript) {
    if (transcript.turns.length === 0) return null;
    const failed = transcript.turns.filter((t) => t.error);
    if (failed.length === 0) return { label: "ok", score: 0, explanation: `None of ${transcript.turns.length} turns failed.`, metadata: null };
    const first = failed[0];
    const lines = failed.slice(0, 3).map((t) => `turn ${t.turn} in ${t.error!.spanName}${t.error!.message ? `: ${t.error!.message}` : ""}`);
    return {
      label: "failed",
      score: round(failed.length / transcript.turns.length),
      explanation: `${failed.length} of ${transcript.turns.length} turns failed: ${lines.join("; ")}${failed.length > 3 ? "; …" : ""}.`,
      metadata: pointAt(transcript, first.turn, { spanId: first.error!.spanId, failedTurns: failed.slice(0, 50).map((t) => t.turn) }),
    };
  },
};

/** Replies this alike (word sets) repeat each other; shorter ones ("OK.") do not count. */
const SAME_REPLY = 0.8;
const MIN_REPLY_WORDS = 6;

export const repetition: Evaluator = {
  name: "repetition",
  worst: { label: "repetitive", score: "higher" },
  description: "The assistant repeating itself across turns: the same answer again, the conversation going in circles.",
  run(transcript) {
    const replies = transcript.turns.filter((t) => t.assistant.length > 0).map((t) => ({ turn: t.turn, text: t.assistant.join("\n") }));
    if (replies.length < 2) return null;
    const repeats: Array<{ turn: number; of: number }> = [];
    for (let i = 1; i < replies.length; i++) {
      if (replies[i].text.split(/\s+/).length < MIN_REPLY_WORDS) continue;
      // The last few replies: a loop shows up within a handful of turns.
      for (let j = i - 1; j >= Math.max(0, i - 5); j--) {
        if (similarity(replies[i].text, replies[j].text) >= SAME_REPLY) {
          repeats.push({ turn: replies[i].turn, of: replies[j].turn });
          break;
        }
      }
    }
    if (repeats.length === 0) return { label: "varied", score: 0, explanation: "The assistant did not repeat an earlier answer.", metadata: null };
    const first = repeats[0];
    return {
      label: "repetitive",
      score: round(repeats.length / (replies.length - 1)),
      explanation: `Turn ${first.turn} repeats the answer of turn ${first.of}: ${quote(replies.find((r) => r.turn === first.turn)!.text)}` +
        (repeats.length > 1 ? `; ${repeats.length} repeated answers in all.` : "."),
      metadata: pointAt(transcript, first.turn, { repeatsTurn: first.of }),
    };
  },
};

export const unanswered: Evaluator = {
  name: "unanswered",
  worst: { label: "unanswered", score: "higher" },
  description: "Turns where the assistant refused, deflected or answered nothing.",
  run(transcript) {
    const asked = transcript.turns.filter((t) => t.user.length > 0);
    if (asked.length === 0) return null;
    const missed: Array<{ turn: number; why: string }> = [];
    for (const t of asked) {
      const reply = t.assistant.join("\n").trim();
      if (!reply) {
        missed.push({ turn: t.turn, why: t.error ? "no answer (the turn failed)" : "no answer" });
        continue;
      }
      const refusal = includesAny(normalize(reply), ALL_REFUSALS);
      if (refusal) missed.push({ turn: t.turn, why: `declined: ${quote(reply, 60)}` });
    }
    if (missed.length === 0) return { label: "answered", score: 0, explanation: `Every one of ${asked.length} requests got an answer.`, metadata: null };
    return {
      label: "unanswered",
      score: round(missed.length / asked.length),
      explanation: `${missed.length} of ${asked.length} requests went unanswered: ${missed.slice(0, 3).map((m) => `turn ${m.turn}, ${m.why}`).join("; ")}.`,
      metadata: pointAt(transcript, missed[0].turn, { unansweredTurns: missed.slice(0, 50).map((m) => m.turn) }),
    };
  },
};
