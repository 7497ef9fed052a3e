// user_frustration: reads every user message, and weighs what sentiment alone misses: complaints
// about the answers, asking for a person, repeating or rephrasing a request, shouting, and
// leaving right after an error. A negative feeling counts only when it is aimed at the assistant
// or its answers ("my flight got cancelled, I'm so angry" is not frustration with the assistant).
import { CUES, includesAny, languageOf, normalize, sentimentOf, similarity, type Language } from "./language.ts";
import { pointAt, quote, round, type Evaluator } from "./types.ts";

/** A turn at or past this is frustrated. */
export const FRUSTRATED = 0.6;
const SATISFIED_SENTIMENT = 0.4;

interface TurnReading {
  turn: number;
  level: number;
  reasons: string[];
}

export const userFrustration: Evaluator = {
  name: "user_frustration",
  worst: { label: "frustrated", score: "higher" },
  description: "Whether the user got frustrated with the assistant, and from which turn: complaints, repeated requests, asking for a person, shouting, negative words aimed at the answers, leaving after an error.",
  run(transcript) {
    const turns = transcript.turns.filter((t) => t.user.length > 0);
    if (turns.length === 0) return null;
    const sessionLanguage = languageOf(turns.flatMap((t) => t.user).join(" "));
    const readings: TurnReading[] = [];
    let previous: string | null = null;
    for (const t of transcript.turns) {
      const text = t.user.join("\n");
      if (!text) continue;
      const before = transcript.turns[t.turn - 2];
      readings.push(readTurn(t.turn, text, previous, Boolean(before?.error), languageOf(text, sessionLanguage)));
      previous = text;
    }
    // Leaving right after an error: the last turn failed and nothing followed.
    const last = transcript.turns.at(-1);
    if (last?.error && transcript.omitted === 0) {
      const reading = readings.find((r) => r.turn === last.turn) ?? { turn: last.turn, level: 0, reasons: [] };
      reading.level = combine(reading.level, 0.5);
      reading.reasons.push("left right after the assistant failed");
      if (!readings.includes(reading)) readings.push(reading);
    }
    const worst = Math.max(...readings.map((r) => r.level));
    const first = readings.find((r) => r.level >= FRUSTRATED);
    if (first) {
      const more = readings.filter((r) => r.level >= FRUSTRATED && r !== first).map((r) => r.turn);
      const text = transcript.turns[first.turn - 1].user.join(" ");
      return {
        label: "frustrated",
        score: round(worst),
        explanation: `Frustrated from turn ${first.turn}: ${quote(text)} (${first.reasons.join("; ")})` +
          (more.length ? `; again in turn${more.length > 1 ? "s" : ""} ${more.slice(0, 5).join(", ")}.` : "."),
        metadata: pointAt(transcript, first.turn),
      };
    }
    const closing = turns.slice(-2).map((t) => t.user.join(" "));
    const pleased = closing.some((text) => {
      const language = languageOf(text, sessionLanguage);
      return includesAny(normalize(text), CUES[language].thanks) !== null || sentimentOf(text, language) >= SATISFIED_SENTIMENT;
    });
    if (pleased && worst < 0.3) {
      return { label: "satisfied", score: round(worst), explanation: "The user ended pleased (thanks or positive words) with no sign of frustration.", metadata: pointAt(transcript, turns.at(-1)!.turn) };
    }
    const mild = readings.find((r) => r.level >= 0.3);
    return {
      label: "neutral",
      score: round(worst),
      explanation: mild ? `No clear frustration; a mild sign in turn ${mild.turn} (${mild.reasons.join("; ")}).` : "No sign of frustration, and no thanks either.",
      metadata: pointAt(transcript, mild?.turn ?? null),
    };
  },
};

function readTurn(turn: number, raw: string, previous: string | null, afterError: boolean, language: Language): TurnReading {
  const cues = CUES[language];
  const text = normalize(raw);
  const reasons: string[] = [];
  let level = 0;
  const add = (weight: number, reason: string) => {
    level = combine(level, weight);
    reasons.push(reason);
  };
  const complaint = includesAny(text, cues.complaints);
  if (complaint) add(0.8, `complains about the answers: "${complaint}"`);
  else {
    const weak = includesAny(text, cues.weakComplaints);
    if (weak) add(0.4, `"${weak}"`);
  }
  const human = includesAny(text, cues.human);
  if (human) add(0.8, `asks for a person: "${human}"`);
  if (previous !== null && similarity(raw, previous) >= 0.5 && raw.split(/\s+/).length >= 3) {
    add(afterError ? 0.7 : 0.6, afterError ? "repeats the request after a failed answer" : "repeats or rephrases the previous request");
  }
  const letters = raw.replace(/[^\p{L}]/gu, "");
  const capitals = raw.replace(/[^\p{Lu}]/gu, "").length;
  if ((letters.length >= 8 && capitals / letters.length >= 0.7) || /[!?]{3,}|\?!|!\?/.test(raw)) add(0.45, "shouts (capitals or !!!/?!)");
  const feeling = sentimentOf(raw, language);
  if (feeling <= -0.3 && cues.addressee.test(text)) add(Math.min(0.9, 0.4 + Math.abs(feeling) / 2), "negative words aimed at the assistant");
  return { turn, level, reasons };
}

/** Two signs together are stronger than either (1 - (1-a)(1-b)). */
function combine(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}
