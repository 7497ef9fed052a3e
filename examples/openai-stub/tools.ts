import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { textOf, userTextsNewestFirst } from "./messages.ts";

/**
 * The stub plays a model that knows four tools by name. It calls one only when the request offers it
 * and the conversation holds the arguments (like a real model would ask back otherwise).
 */
export type ToolCallIntent = { name: string; arguments: Record<string, string> };

const ORDER_ID = /\b([A-Z]{2,5}-\d{3,})\b/;
const PLACE = /\b(?:in|for|at|to|visiting)\s+(\p{Lu}[\p{L}'-]+(?:\s\p{Lu}[\p{L}'-]+)?)/gu;
const NOT_PLACES = new Set(
  "January February March April May June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday The This That My Our I".split(" "),
);
const ROUTE = /\bfrom\s+(\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)\s+to\s+(\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)/u;
const DATE = /\b(?:on|for)\s+((?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2})/;

/** Which tool (if any) to call for the last user message. */
export function detectToolCall(messages: ChatCompletionMessageParam[], offered: Set<string>): ToolCallIntent | undefined {
  const texts = userTextsNewestFirst(messages);
  const last = texts[0] ?? "";
  const orderId = firstMatch(texts, (text) => ORDER_ID.exec(text)?.[1]);

  if (offered.has("request_refund") && /\b(refund|money back|reimburse)/i.test(last) && orderId) {
    return { name: "request_refund", arguments: { order_id: orderId, reason: last.slice(0, 200) } };
  }
  if (offered.has("get_order_status") && /\b(order|package|parcel|deliver|shipp|tracking|arrive)/i.test(last) && orderId) {
    return { name: "get_order_status", arguments: { order_id: orderId } };
  }
  const route = ROUTE.exec(last);
  if (offered.has("search_flights") && /\b(flights?|fly)\b/i.test(last) && route) {
    return { name: "search_flights", arguments: { origin: route[1], destination: route[2], date: DATE.exec(last)?.[1] ?? "flexible" } };
  }
  const city = firstMatch(texts, placeIn);
  if (offered.has("get_weather") && /\b(weather|forecast|rain|umbrella|temperature|sunny|snow)/i.test(last) && city) {
    return { name: "get_weather", arguments: { city } };
  }
  return undefined;
}

/** Turns the tool results at the end of the conversation into the assistant's answer. */
export function answerFromToolResults(messages: ChatCompletionMessageParam[]): string | undefined {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i].role === "tool"; i--) {
    const message = messages[i];
    if (message.role !== "tool") break;
    results.unshift(describeResult(toolNameFor(messages, message.tool_call_id), textOf(message.content)));
  }
  return results.length > 0 ? results.join("\n\n") : undefined;
}

function toolNameFor(messages: ChatCompletionMessageParam[], toolCallId: string): string {
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    const call = message.tool_calls?.find((candidate) => candidate.id === toolCallId);
    if (call?.type === "function") return call.function.name;
  }
  return "tool";
}

// The result shapes of the demo app's tools (examples/demo/tools.ts); anything else gets a generic answer.
type Weather = { city: string; temperature_c: number; condition: string; high_c: number; low_c: number; precipitation_chance: number };
type Order = { order_id: string; status: string; items: string[]; last_update: string; carrier?: string; tracking_number?: string; estimated_delivery: string };
type Refund = { refund_id: string; order_id: string; status: string; amount_usd: number; method: string; eta_business_days: number; return_required: boolean };
type Flight = { airline: string; flight_number: string; depart: string; arrive: string; stops: number; price_usd: number };
type Flights = { origin: string; destination: string; date: string; flights: Flight[] };

const describers: Record<string, (result: unknown) => string> = {
  get_weather: (result) => {
    const w = result as Weather;
    const snowy = /snow/i.test(w.condition);
    const advice = snowy
      ? "Bundle up and wear boots with good grip."
      : w.precipitation_chance >= 50
        ? "I'd bring an umbrella."
        : "You can probably leave the umbrella at home.";
    return (
      `Right now in ${w.city} it's ${w.temperature_c}°C and ${w.condition.toLowerCase()}, ` +
      `with a high of ${w.high_c}°C and a low of ${w.low_c}°C. Chance of ${snowy ? "snow" : "rain"}: ${w.precipitation_chance}%. ${advice}`
    );
  },
  get_order_status: (result) => {
    const o = result as Order;
    return (
      `Order ${o.order_id} (${o.items.join(", ")}) is **${o.status}**. Latest update: ${o.last_update}. ` +
      (o.tracking_number ? `It's with ${o.carrier}, tracking number ${o.tracking_number}. ` : "") +
      `Estimated delivery: ${o.estimated_delivery}.`
    );
  },
  request_refund: (result) => {
    const r = result as Refund;
    return (
      `Done! Refund ${r.refund_id} for order ${r.order_id} is **${r.status}**: $${r.amount_usd.toFixed(2)} back to your ` +
      `${r.method} within ${r.eta_business_days} business days. ` +
      (r.return_required
        ? "You'll get a prepaid return label by email; please send the item back within 30 days."
        : "You don't need to send anything back.")
    );
  },
  search_flights: (result) => {
    const s = result as Flights;
    const options = s.flights.map(
      (f) => `- ${f.airline} ${f.flight_number}: departs ${f.depart}, arrives ${f.arrive}, ${f.stops === 0 ? "nonstop" : `${f.stops} stop`}, $${f.price_usd}`,
    );
    return (
      `I found ${s.flights.length} options from ${s.origin} to ${s.destination} (${s.date}):\n${options.join("\n")}\n` +
      `The ${s.flights[0].airline} flight is the best balance of price and travel time. Want me to hold a seat?`
    );
  },
};

function describeResult(name: string, content: string): string {
  try {
    const describe = describers[name];
    if (describe) return describe(JSON.parse(content));
  } catch {
    // Unexpected shape: fall through to a generic answer, like a model would still say something.
  }
  return `Here's what ${name} returned: ${content.slice(0, 300)}`;
}

function placeIn(text: string): string | undefined {
  for (const match of text.matchAll(PLACE)) {
    const [first, second] = match[1].split(" ");
    if (NOT_PLACES.has(first)) continue;
    return second && !NOT_PLACES.has(second) ? match[1] : first;
  }
  return undefined;
}

function firstMatch(texts: string[], find: (text: string) => string | undefined): string | undefined {
  for (const text of texts) {
    const found = find(text);
    if (found) return found;
  }
  return undefined;
}
