// The skewed data set's text (bench/skewed.ts): a Zipf-weighted vocabulary of real words and
// deterministic pseudo-words, and the rare words, the phrase and the huge session's word that
// the query bench's search cases look for.
import { Rng } from "./rng.ts";
import type { Session, TurnText, TurnTotals } from "./turn.ts";
import { MARKER_EVERY, MARKERS, VOCABULARY } from "./words.ts";
import { Zipf } from "./zipf.ts";
import type { SkewedSummary } from "./skewed-summary.ts";

/** Appears only in the huge session. */
export const HUGE_WORD = "marathonwombat";
const PSEUDO_WORDS = 3000;
const WORD_EXPONENT = 1;
const PHRASE_EVERY = 400;
const HUGE_WORD_SHARE = 0.3;
const TEXT_SCALE = 1.8;

function pseudoWords(count: number, taken: Set<string>): string[] {
  const rng = new Rng(0x70cab);
  const onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "th", "br", "tr", "pl"];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"];
  const codas = ["", "", "", "n", "r", "l", "s", "x", "nd"];
  const out: string[] = [];
  while (out.length < count) {
    let word = "";
    for (let i = rng.int(2, 4); i > 0; i--) word += rng.pick(onsets) + rng.pick(vowels);
    word += rng.pick(codas);
    if (taken.has(word)) continue;
    taken.add(word);
    out.push(word);
  }
  return out;
}

/** Real words first (the most frequent ranks), then pseudo-words. */
export const SKEWED_VOCABULARY: readonly string[] = (() => {
  const real = [...new Set(VOCABULARY)];
  return [...real, ...pseudoWords(PSEUDO_WORDS, new Set([...real, ...MARKERS, HUGE_WORD]))];
})();
/** Three pseudo-words of middling frequency (each in about 1-2% of turns), together rare. */
const PHRASE_RANKS = [1200, 1800, 2400];
export const PHRASE = PHRASE_RANKS.map((rank) => SKEWED_VOCABULARY[rank]).join(" ");
const WORD_ZIPF = new Zipf(SKEWED_VOCABULARY.length, WORD_EXPONENT);
const CAPITALIZED = SKEWED_VOCABULARY.map((word) => word[0].toUpperCase() + word.slice(1));

/** Words of the Zipf vocabulary; remembers which phrase words the current turn used. */
export class SkewedText implements TurnText {
  readonly #summary: SkewedSummary;
  /** Bit i: PHRASE's word i was drawn in the current turn. */
  phraseMask = 0;
  /** The current turn's user message has the phrase, in order. */
  phrase = false;
  markers: string[] = [];
  /** The session being written; the huge one (hugeGapUs set) gets HUGE_WORD. */
  session: (Session & { hugeGapUs: number | null }) | null = null;

  constructor(summary: SkewedSummary) {
    this.#summary = summary;
  }

  userMessage(rng: Rng, s: Session, summary: TurnTotals): string {
    this.phraseMask = 0;
    this.phrase = false;
    this.markers = [];
    let message = this.text(rng, 8, 40);
    for (const marker of MARKERS) {
      if (rng.u32() % MARKER_EVERY === 0) {
        message += ` Also, about ${marker}: what do you think?`;
        summary.markerTurns[marker]++;
        this.markers.push(marker);
      }
    }
    if (this.session?.hugeGapUs != null && s === this.session && rng.chance(HUGE_WORD_SHARE)) {
      message += ` Back to the ${HUGE_WORD} plan, step ${rng.int(1, 99)}.`;
      this.#summary.hugeWord.turns++;
    }
    if (rng.u32() % PHRASE_EVERY === 0) {
      message += ` The screen says "${PHRASE}" again.`;
      this.#summary.phrase.turns++;
      this.phraseMask = 7;
      this.phrase = true;
    }
    return message;
  }

  readonly text = (rng: Rng, minWords: number, maxWords: number): string => {
    // Longer texts than traffic.ts's, for real traffic's 1.5-2.5 KB per span on the wire.
    let left = rng.int(Math.round(minWords * TEXT_SCALE), Math.round(maxWords * TEXT_SCALE));
    const sentences: string[] = [];
    while (left > 0) {
      const n = Math.min(left, rng.int(5, 16));
      let out = "";
      for (let i = 0; i < n; i++) {
        const rank = WORD_ZIPF.sample(rng);
        if (rank >= PHRASE_RANKS[0]) {
          const bit = PHRASE_RANKS.indexOf(rank);
          if (bit >= 0) this.phraseMask |= 1 << bit;
        }
        out += i === 0 ? CAPITALIZED[rank] : (rng.u32() % 11 === 0 ? ", " : " ") + SKEWED_VOCABULARY[rank];
      }
      sentences.push(out + (rng.u32() % 6 === 0 ? "?" : "."));
      left -= n;
    }
    return sentences.join(" ");
  };
}
