import { setTimeout as sleep } from "node:timers/promises";
import type { Tracer } from "@opentelemetry/api";
import { getToolAttributes, traceTool } from "@arizeai/openinference-core";
import type { ChatCompletionFunctionTool, ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";

// The app's tools: what the model sees (schema) and what runs locally (fake but consistent data).

type ToolArgs = Record<string, string>;
type ToolDefinition = { description: string; parameters: Record<string, unknown>; run: (args: ToolArgs) => unknown };

const stringParam = (description: string) => ({ type: "string", description });

const TOOLS = {
  get_weather: {
    description: "Current weather and today's range for a city.",
    parameters: { type: "object", properties: { city: stringParam("City name, e.g. Lisbon") }, required: ["city"] },
    run: ({ city }) => weatherIn(city),
  },
  search_flights: {
    description: "Search flights between two cities on a date.",
    parameters: {
      type: "object",
      properties: { origin: stringParam("Departure city"), destination: stringParam("Arrival city"), date: stringParam("e.g. May 15") },
      required: ["origin", "destination"],
    },
    run: ({ origin, destination, date }) => searchFlights(origin, destination, date ?? "flexible"),
  },
  get_order_status: {
    description: "Look up the status of a customer's order.",
    parameters: { type: "object", properties: { order_id: stringParam("Order id, e.g. ORD-12345") }, required: ["order_id"] },
    run: ({ order_id }) => ORDERS[order_id] ?? { error: `No order found with id ${order_id}` },
  },
  request_refund: {
    description: "Issue a refund for an order within the 30-day return window.",
    parameters: {
      type: "object",
      properties: { order_id: stringParam("Order id"), reason: stringParam("Why the customer wants a refund") },
      required: ["order_id", "reason"],
    },
    run: ({ order_id }) => refundFor(order_id),
  },
} satisfies Record<string, ToolDefinition>;

export type ToolName = keyof typeof TOOLS;

/** The OpenAI `tools` parameter for the given tools. */
export function toolSchemas(names: readonly ToolName[]): ChatCompletionFunctionTool[] {
  return names.map((name) => ({
    type: "function",
    function: { name, description: TOOLS[name].description, parameters: TOOLS[name].parameters },
  }));
}

/** Runs a tool call locally inside an OpenInference TOOL span; returns the content of the tool message. */
export async function runToolCall(call: ChatCompletionMessageFunctionToolCall, tracer: Tracer): Promise<string> {
  const name = call.function.name;
  const tool: ToolDefinition | undefined = (TOOLS as Record<string, ToolDefinition>)[name];
  const traced = traceTool(
    async (args: ToolArgs) => {
      await sleep(15 + (hash(call.id) % 60)); // a real lookup takes a moment
      return JSON.stringify(tool ? tool.run(args) : { error: `Unknown tool ${name}` });
    },
    {
      name,
      tracer,
      attributes: { ...getToolAttributes({ name, description: tool?.description, parameters: tool?.parameters ?? {} }), "tool_call.id": call.id },
      processInput: (args) => ({ "input.value": JSON.stringify(args), "input.mime_type": "application/json" }),
      processOutput: (result) => ({ "output.value": result, "output.mime_type": "application/json" }),
    },
  );
  return traced(parseArguments(call.function.arguments));
}

function parseArguments(json: string): ToolArgs {
  try {
    return JSON.parse(json) as ToolArgs;
  } catch {
    return {};
  }
}

// ---- Fake backends -------------------------------------------------------------------------

const CLIMATE: Record<string, [temperature: number, condition: string]> = {
  Lisbon: [21, "Sunny"], Tokyo: [16, "Partly cloudy"], Berlin: [11, "Light rain"], Hamburg: [9, "Showers"],
  Barcelona: [24, "Clear"], Reykjavik: [-2, "Snow showers"], Seattle: [12, "Overcast"], Florence: [26, "Sunny"],
  Chicago: [-4, "Snow"], Denver: [3, "Partly cloudy"], "Cape Town": [27, "Sunny"],
};

function weatherIn(city: string) {
  const [temperature, condition] = CLIMATE[city] ?? [10 + (hash(city) % 18), "Partly cloudy"];
  const wet = /rain|shower|snow/i.test(condition);
  return {
    city,
    temperature_c: temperature,
    condition,
    high_c: temperature + 3,
    low_c: temperature - 5,
    precipitation_chance: wet ? 60 + (hash(city) % 35) : hash(city) % 20,
    humidity: 40 + (hash(city) % 45),
  };
}

// Scripted routes get believable airlines, durations and fares; anything else gets plausible defaults.
const ROUTES: Record<string, { airlines: string[]; minutes: number; fare: number }> = {
  "Boston>Lisbon": { airlines: ["TAP Air Portugal", "Delta", "United"], minutes: 395, fare: 640 },
  "Paris>Tokyo": { airlines: ["Japan Airlines", "Air France", "Lufthansa"], minutes: 830, fare: 1020 },
  "London>Barcelona": { airlines: ["Vueling", "British Airways", "easyJet"], minutes: 125, fare: 118 },
  "New York>Reykjavik": { airlines: ["Icelandair", "Delta", "PLAY"], minutes: 345, fare: 410 },
  "Chicago>Rome": { airlines: ["ITA Airways", "United", "Lufthansa"], minutes: 590, fare: 890 },
  "Lagos>Cape Town": { airlines: ["Airlink", "Kenya Airways", "Ethiopian Airlines"], minutes: 385, fare: 720 },
};

const IATA: Record<string, string> = {
  "TAP Air Portugal": "TP", Delta: "DL", United: "UA", "Japan Airlines": "JL", "Air France": "AF", Lufthansa: "LH",
  Vueling: "VY", "British Airways": "BA", easyJet: "U2", Icelandair: "FI", PLAY: "OG", "ITA Airways": "AZ",
  Airlink: "4Z", "Kenya Airways": "KQ", "Ethiopian Airlines": "ET",
};

function searchFlights(origin: string, destination: string, date: string) {
  const seed = hash(`${origin}>${destination}`);
  const route = ROUTES[`${origin}>${destination}`] ?? { airlines: ["United", "Lufthansa", "Air France"], minutes: 180 + (seed % 480), fare: 250 + (seed % 500) };
  const flights = route.airlines.map((airline, i) => {
    const departure = (7 * 60 + ((seed >>> (i * 4)) % 12) * 60 + i * 25) % (24 * 60);
    const duration = route.minutes + (i === 0 ? 0 : 95 + i * 40); // the alternatives connect somewhere
    return {
      airline,
      flight_number: `${IATA[airline] ?? "XX"}${100 + ((seed >>> (i * 5)) % 800)}`,
      depart: clock(departure),
      arrive: clock(departure + duration) + (departure + duration >= 24 * 60 ? " (+1)" : ""),
      stops: i === 0 ? 0 : 1,
      price_usd: Math.round(route.fare * [1, 0.9, 0.85][i]), // connections are cheaper
    };
  });
  return { origin, destination, date, flights };
}

function clock(minutes: number): string {
  const time = minutes % (24 * 60);
  return `${String(Math.floor(time / 60)).padStart(2, "0")}:${String(time % 60).padStart(2, "0")}`;
}

type Order = { order_id: string; status: string; items: string[]; total_usd: number; last_update: string; carrier?: string; tracking_number?: string; estimated_delivery: string };

const ORDERS: Record<string, Order> = Object.fromEntries(
  [
    { order_id: "ORD-48213", status: "in transit (delayed)", items: ["Trail running shoes", "Merino socks (2-pack)"], total_usd: 164.9, last_update: "Weather delay at the UPS hub in Louisville, KY", carrier: "UPS", tracking_number: "1Z84A7W90314452297", estimated_delivery: "tomorrow by 8 pm" },
    { order_id: "ORD-51877", status: "delivered", items: ["Summit wireless headphones"], total_usd: 129.0, last_update: "Delivered 9 days ago", carrier: "FedEx", tracking_number: "771239904521", estimated_delivery: "already delivered" },
    { order_id: "ORD-50342", status: "processing", items: ["Alpine down jacket", "Insulated bottle", "Headlamp"], total_usd: 312.5, last_update: "Waiting for the down jacket, which is backordered until Friday", estimated_delivery: "5-7 days after the jacket is back in stock" },
    { order_id: "ORD-49905", status: "delivered", items: ["Ridgeline hiking boots, size 44"], total_usd: 189.0, last_update: "Delivered 3 days ago", carrier: "DHL", tracking_number: "JD014600006281230915", estimated_delivery: "already delivered" },
    { order_id: "ORD-47720", status: "delivered", items: ["Ultralight tent (2-person)"], total_usd: 349.0, last_update: "Delivered yesterday at 2:14 pm, left at front door", carrier: "USPS", tracking_number: "9400111899223345678901", estimated_delivery: "already delivered" },
  ].map((order) => [order.order_id, order]),
);

function refundFor(orderId: string) {
  const order = ORDERS[orderId];
  if (!order) return { error: `No order found with id ${orderId}` };
  const lost = order.order_id === "ORD-47720"; // never arrived: nothing to send back
  return {
    refund_id: `RF-${orderId.slice(4)}1`,
    order_id: orderId,
    status: "approved",
    amount_usd: order.total_usd,
    method: "Visa ending in 4242",
    eta_business_days: 5,
    return_required: !lost,
  };
}

/** Small deterministic string hash (FNV-1a), so fake data is stable across runs. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
