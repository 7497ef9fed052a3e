// The built-in detectors: API keys and tokens, card numbers, email addresses, phone numbers.
// Written by hand: the kept PII libraries for JavaScript either call a cloud service or match
// far looser shapes (any 16 digits, any word@word), which would redact ordinary ids and numbers.
//
// Every expression is written to run in linear time on V8's backtracking engine: each starts with
// a literal or behind a negative lookbehind of its own first characters (so a long run is tried
// from its start only, not from each of its characters), and every repetition is over a class
// that the next token cannot also match, or is bounded.

/** The built-in detectors, in the order they are applied. */
export const BUILT_IN_DETECTORS = ["api_key", "card", "email", "phone"] as const;
export type BuiltInDetector = (typeof BUILT_IN_DETECTORS)[number];

/** On unless turned off: a credential in a trace is never useful to read. The rest are opt-in. */
export const ON_BY_DEFAULT: Record<BuiltInDetector, boolean> = { api_key: true, card: false, email: false, phone: false };

export interface Detector {
  name: string;
  /** Every match, global (String.replace resets lastIndex). */
  pattern: RegExp;
  /** A match the shape alone cannot rule out, checked further (Luhn, digit counts). */
  accept?: (match: string) => boolean;
  /** A cheap test that must pass before the expression runs at all. */
  mayMatch?: (text: string) => boolean;
}

const KEY_SHAPES = [
  String.raw`\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic (sk-ant-…)
  String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`, // Stripe
  String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, // AWS access key ids
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}`, // GitHub tokens
  String.raw`\bgithub_pat_[A-Za-z0-9_]{22,}`,
  String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`, // Slack
  String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google API keys
  String.raw`\btl_(?:ingest|api)_[0-9a-f]{16}_[A-Za-z0-9_-]{43}`, // Threadline's own keys
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`, // JWTs
  String.raw`\bBearer +[A-Za-z0-9._~+/-]{16,}=*`, // an Authorization header's credentials
];

const apiKey: Detector = {
  name: "api_key",
  pattern: new RegExp(KEY_SHAPES.join("|"), "g"),
  // Random keys carry digits; a long slug after "sk-" or "Bearer " in prose does not.
  accept: (match) => /\d/.test(match),
};

const card: Detector = {
  name: "card",
  // 13 to 19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
  pattern: /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g,
  accept: (match) => {
    const digits = match.replace(/\D/g, "");
    // The card networks' ranges start 2 to 6; epoch milliseconds and most ids start otherwise.
    return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhn(digits);
  },
  mayMatch: (text) => /\d{4}/.test(text),
};

const email: Detector = {
  name: "email",
  // Letters of any script (RFC 6531 addresses: josé@…, 用户@例子.广告).
  pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})*\.\p{L}{2,63}/gu,
  mayMatch: (text) => text.includes("@"),
};

const phone: Detector = {
  name: "phone",
  // +country, (area), then groups of 2-4 digits with one separator between each; or +E.164 run together.
  pattern: /(?<![\w+-])(?:\+\d{8,15}|(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4})(?!\d)/g,
  accept: (match) => {
    const digits = match.replace(/\D/g, "").length;
    if (digits < 10 || digits > 15) return false; // with its area code; shorter is a date, a time, a version
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(match)) return false; // an IPv4 address
    if (/^(?:(?:19|20)\d\d[-./]\d\d?[-./]\d\d?|\d\d?[-./]\d\d?[-./](?:19|20)\d\d)(?!\d)/.test(match)) return false; // a date (and hour)
    return !/^\d{1,3}(?:([ .])\d{3})(?:\1\d{3})+$/.test(match); // a number grouped in thousands
  },
  mayMatch: (text) => /\d{2}/.test(text),
};

export const DETECTORS: Record<BuiltInDetector, Detector> = { api_key: apiKey, card, email, phone };

/** The Luhn checksum every card number carries: ordinary long numbers fail it nine times in ten. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}
