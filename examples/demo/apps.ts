import type { ToolName } from "./tools.ts";

/** One of the demo's chat apps: its own model, system prompt and tools, like separate products sharing a backend. */
export type App = {
  name: string;
  model: string;
  systemPrompt: string;
  tools: ToolName[];
};

export const APPS = {
  travel: {
    name: "travel-concierge",
    model: "gpt-4o-mini",
    systemPrompt:
      "You are Wayfarer, a friendly travel concierge. Give concrete, practical advice. " +
      "Use get_weather for current conditions and search_flights to find flights; never invent prices.",
    tools: ["get_weather", "search_flights"],
  },
  shop: {
    name: "shop-support",
    model: "gpt-4o-mini",
    systemPrompt:
      "You are the customer support assistant for Northwind Outfitters, an outdoor gear shop. " +
      "Be warm and brief. Look orders up with get_order_status and issue refunds with request_refund (30-day policy).",
    tools: ["get_order_status", "request_refund"],
  },
  dev: {
    name: "dev-copilot",
    model: "gpt-4.1",
    systemPrompt: "You are a senior software engineer helping a colleague. Answer concisely, with short code examples.",
    tools: [],
  },
} as const satisfies Record<string, App>;

export type Channel = "web" | "ios" | "android" | "slack";

/** One turn of a scripted conversation. Without `assistant`, the stub model is expected to call a tool. */
export type Turn = {
  user: string;
  /** What the (stub) model answers to `user`. */
  assistant?: string;
  /** Simulate a provider outage on this turn: the stub answers HTTP 500. */
  outage?: boolean;
};

export type Conversation = {
  /** Readable part of the session id. */
  slug: string;
  userId: string;
  app: App;
  channel: Channel;
  topic: string;
  turns: Turn[];
};
