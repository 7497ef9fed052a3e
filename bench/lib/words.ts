// The built-in vocabulary of the traffic generator: ordinary chat-app words, so full-text search
// has plenty to match, plus a few rare marker words the query bench searches for.
import type { Rng } from "./rng.ts";

export const VOCABULARY = (
  "the a an and or but if then so because when while after before about with without for from into " +
  "onto over under between through during against among my your our their this that these those it " +
  "is are was were be been have has had do does did can could would should will may might must " +
  "please thanks hello hi sorry okay sure yes no maybe again also still just only really very quite " +
  "account order invoice refund payment subscription plan billing card charge receipt discount coupon " +
  "shipping delivery package tracking address warehouse return exchange warranty size color stock " +
  "password login email phone verification code reset token session profile settings notification " +
  "app website browser mobile desktop update version install upgrade download upload file folder " +
  "error crash bug issue problem slow timeout failure outage latency retry fix workaround patch " +
  "database query index table schema migration backup restore replica cluster server network " +
  "deploy release pipeline build test branch commit merge review staging production rollback " +
  "python javascript typescript rust golang java kotlin swift docker kubernetes terraform linux " +
  "function class method variable loop array object string number json yaml config script " +
  "flight hotel booking reservation trip itinerary airport train ticket passport visa luggage " +
  "weather forecast rain sunny snow temperature weekend morning evening tonight tomorrow yesterday " +
  "recipe dinner lunch breakfast vegetarian pasta chicken salad soup dessert coffee tea bakery " +
  "doctor appointment insurance pharmacy prescription symptom fever allergy clinic schedule " +
  "budget expense salary tax loan mortgage savings investment stock portfolio interest rate " +
  "summary report chart dashboard metric analysis forecast trend spreadsheet presentation slide " +
  "meeting calendar agenda deadline project task team manager customer vendor contract proposal " +
  "explain help show find check compare recommend suggest write translate summarize calculate " +
  "quick simple detailed short long new old best cheapest fastest nearest available different " +
  "week month year hour minute day price cost total amount balance limit quota usage plan tier"
).split(" ");

/** Rare words: each appears in about one turn in `MARKER_EVERY`, only in users' messages. */
export const MARKERS = ["zephyrquartz", "mauvelantern", "quokkafiesta"] as const;
export const MARKER_EVERY = 5000;
/** A vocabulary word the query bench uses as its "common word" search. */
export const COMMON_WORD = "invoice";

export const TAGS = ["support", "sales", "onboarding", "billing", "beta", "mobile", "web", "enterprise", "free-tier", "vip"];
export const MODELS = ["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4.1-mini", "claude-sonnet-4-20250514", "gpt-5-mini", "gemini-2.5-flash"];
export const TOOLS = [
  { name: "search_orders", params: ["customer_id", "status", "limit"] },
  { name: "get_weather", params: ["city", "units"] },
  { name: "lookup_account", params: ["email", "include_history"] },
  { name: "create_ticket", params: ["title", "priority", "queue"] },
  { name: "run_sql", params: ["query", "timeout_ms"] },
  { name: "book_flight", params: ["from", "to", "date", "passengers"] },
];
export const PLANS = ["free", "pro", "team", "enterprise"];
export const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"];
export const APP_VERSIONS = ["1.8.0", "1.8.1", "1.9.0", "2.0.0-beta.3"];

export function words(rng: Rng, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const word = VOCABULARY[rng.u32() % VOCABULARY.length];
    out += i === 0 ? word[0].toUpperCase() + word.slice(1) : (rng.u32() % 11 === 0 ? ", " : " ") + word;
  }
  return out;
}

/** A few sentences, `minWords`..`maxWords` words in all. */
export function text(rng: Rng, minWords: number, maxWords: number): string {
  let left = rng.int(minWords, maxWords);
  const sentences: string[] = [];
  while (left > 0) {
    const n = Math.min(left, rng.int(5, 16));
    sentences.push(words(rng, n) + (rng.u32() % 6 === 0 ? "?" : "."));
    left -= n;
  }
  return sentences.join(" ");
}
