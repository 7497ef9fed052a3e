// The redaction rules on their own: what each built-in detector takes and leaves, that no input
// makes one slow, that JSON stays JSON, and that pseudonyms are stable per install.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DecodedSpan } from "../../src/otlp/types.ts";
import { normalizeRequest } from "../../src/normalize/normalize.ts";
import { DETECTORS, luhn } from "../../src/normalize/redact/detectors.ts";
import { Redactor } from "../../src/normalize/redact/redactor.ts";
import { RuleSet } from "../../src/normalize/redact/rules.ts";
import { projectRedaction } from "../../src/normalize/redact/settings.ts";
import { readStoredMessages } from "../../src/normalize/semantics.ts";
import { prices, span } from "./helpers.ts";

const ALL = { email: true, phone: true, card: true, patterns: [{ name: "order_id", pattern: "ORD-[0-9]{8}" }] };
const SECRET = "ab".repeat(32);
const found = (name: keyof typeof DETECTORS, text: string) =>
  [...text.matchAll(DETECTORS[name].pattern)].map((m) => m[0]).filter((m) => DETECTORS[name].accept?.(m) ?? true);

describe("built-in detectors", () => {
  test("API keys and tokens, in the shapes providers issue them", () => {
    const keys = [
      "sk-proj-abc123DEF456ghi789JKL012mno", "sk-ant-api03-AbCdEf1234567890AbCdEf1234", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "AKIAIOSFODNN7EXAMPLE", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
      "xoxb-1234567890-abcdefghij", "AIzaSyA1234567890abcdefghijklmnopqrstuv", `tl_ingest_0123456789abcdef_${"a1".repeat(21)}b`,
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ];
    for (const key of keys) assert.deepEqual(found("api_key", `the key is ${key}, keep it safe`), [key]);
    assert.deepEqual(found("api_key", "authorization: Bearer abc.def-1234567890XYZ"), ["Bearer abc.def-1234567890XYZ"]);
    assert.deepEqual(found("api_key", "task-management-dashboard-component, sk-this-is-a-very-long-slug-name, the Bearer of bad news arrives"), []);
  });

  test("card numbers pass Luhn and start like a card network's; other long numbers do not count", () => {
    assert.deepEqual(found("card", "cards 4111 1111 1111 1111, 4111-1111-1111-1111, 378282246310005 and 5555555555554444."), [
      "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "5555555555554444",
    ]);
    // A Luhn failure, epoch milliseconds, a 16-digit id starting with 9, a 25-digit number, a trace id's digits.
    assert.deepEqual(found("card", "4111111111111112 1700000000123 9000000000000007 4111111111111111111111111 0af7651916cd43dd8448eb211c80319c"), []);
    assert.equal(luhn("79927398713"), true);
    assert.equal(luhn("79927398710"), false);
  });

  test("email addresses, and not package scopes or local names", () => {
    assert.deepEqual(found("email", "write to alice@example.com, bob.smith+tag@mail.example.co.uk."), ["alice@example.com", "bob.smith+tag@mail.example.co.uk"]);
    assert.deepEqual(found("email", "josé@correo.es or 用户@例子.广告"), ["josé@correo.es", "用户@例子.广告"]);
    assert.deepEqual(found("email", "npm i @types/node; ssh user@localhost; @mention"), []);
  });

  test("phone numbers with their area code; dates, times, addresses and amounts are left", () => {
    assert.deepEqual(found("phone", "+1 415 555 2671, (415) 555-2671, 415.555.2671, +14155552671, +44 20 7946 0958"), [
      "+1 415 555 2671", "(415) 555-2671", "415.555.2671", "+14155552671", "+44 20 7946 0958",
    ]);
    assert.deepEqual(found("phone", "2024-01-15 10:30, 15.01.2024 10:30, 192.168.100.200, 1 000 000 000, v1.2.3, 555-2671, 3.1415926535, 123e4567-e89b-12d3-a456-426614174000"), []);
  });

  test("no input makes a detector slow: each is linear in the text", () => {
    const rules = new RuleSet(projectRedaction(ALL, undefined));
    const hostile = ["a".repeat(200_000), "1".repeat(200_000), "a@".repeat(100_000), "1 ".repeat(100_000), `${"a.".repeat(100_000)}@`,
      `x@${"a.".repeat(100_000)}`, `sk-${"a".repeat(200_000)}`, "+1".repeat(100_000), `${"a".repeat(100_000)}@${"b".repeat(100_000)}`, "eyJa.".repeat(40_000)];
    for (const text of hostile) {
      const started = performance.now();
      rules.replace(text, new Map());
      const ms = performance.now() - started;
      assert.ok(ms < 500, `${JSON.stringify(text.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
    }
  });
});

/** Normalized span records of the spans, in one project, as the ingest thread has them. */
function records(spans: DecodedSpan[], project = "shop") {
  return normalizeRequest({ resourceSpans: [{ resource: { "openinference.project.name": project }, scopeSpans: [{ scope: { name: "t", version: "" }, spans }] }] }, { prices }).spans;
}

describe("redacting span records", () => {
  const plan = { secret: SECRET, projects: { shop: { redaction: ALL } } };

  test("JSON stays JSON: the readers parse it again and find the redacted text, escaped or not", () => {
    const content = "Line one\nmy mail is zoe@example.org, order ORD-12345678";
    const spans = records([
      span({ "openinference.span.kind": "LLM", "input.value": JSON.stringify({ messages: [{ role: "user", content }] }), "input.mime_type": "application/json" }),
      // Python's json.dumps with ensure_ascii: "é" and, from some encoders, "@" arrive as \u escapes.
      span({ "openinference.span.kind": "LLM", "input.value": '{"messages": [{"role": "user", "content": "caf\\u00e9 with jos\\u00e9\\u0040example.org"}]}' }),
    ]);
    const counts = new Redactor(plan).redact(spans);
    const [first, second] = spans;
    assert.deepEqual(JSON.parse(first.attributes["input.value"] as string), { messages: [{ role: "user", content: "Line one\nmy mail is [redacted:email], order [redacted:order_id]" }] });
    assert.equal(JSON.parse(second.attributes["input.value"] as string).messages[0].content, "café with [redacted:email]");
    // What the store reads back out of the attributes matches what was indexed at ingest.
    for (const record of spans) assert.deepEqual(readStoredMessages(record).input, record.inputMessages);
    assert.deepEqual(counts.sort(), [["shop", "email", 2], ["shop", "order_id", 1]]);
  });

  test("a session or user id with something a rule finds becomes a pseudonym, stable for the install's key", () => {
    const make = () => records([span({ "session.id": "+1 415 555 2671", "user.id": "zoe@example.org", "input.value": "hello" }), span({ "user.id": "user-42" })]);
    const [a, b] = [make(), make()];
    new Redactor(plan).redact(a);
    new Redactor(plan).redact(b);
    assert.match(a[0].sessionId!, /^phone:[0-9a-f]{16}$/);
    assert.match(a[0].userId!, /^email:[0-9a-f]{16}$/);
    assert.equal(a[0].attributes["user.id"], a[0].userId);
    assert.deepEqual([b[0].sessionId, b[0].userId], [a[0].sessionId, a[0].userId], "same key, same pseudonym");
    assert.equal(a[1].userId, "user-42", "an id nothing is found in is kept");
    const other = make();
    new Redactor({ ...plan, secret: "cd".repeat(32) }).redact(other);
    assert.notEqual(other[0].userId, a[0].userId, "another install's key gives another pseudonym");
  });

  test("only the project's rules apply: API keys everywhere by default, the rest where turned on", () => {
    const text = "zoe@example.org sk-proj-abc123DEF456ghi789JKL012mno ORD-12345678";
    const spans = [...records([span({ "input.value": text })], "shop"), ...records([span({ "input.value": text })], "blog"), ...records([span({ "input.value": text })], "off")];
    new Redactor({ ...plan, projects: { ...plan.projects, off: { redaction: { api_key: false } } } }).redact(spans);
    assert.deepEqual(spans.map((s) => s.input), [
      "[redacted:email] [redacted:api_key] [redacted:order_id]",
      "zoe@example.org [redacted:api_key] ORD-12345678",
      text,
    ]);
  });

  test("a custom pattern matches by RE2 over any text, emoji included", () => {
    const [record] = records([span({ note: "😀 ORD-12345678 😀 ORD-87654321!" })]);
    new Redactor(plan).redact([record]);
    assert.equal(record.attributes.note, "😀 [redacted:order_id] 😀 [redacted:order_id]!");
  });
});
