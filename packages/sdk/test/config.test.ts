// How register() resolves project, endpoint and credentials: options, then THREADLINE_*, then the
// standard OTEL_EXPORTER_OTLP_* variables, then defaults; invalid values are reported and skipped.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { resolveConnection } from "../src/config.ts";
import { captureWarnings, strictly } from "./tracing.ts";

const warnings = captureWarnings();
beforeEach(() => (warnings.length = 0));

test("defaults: project 'default', service = project, http://localhost:4318/v1/traces, no headers", () => {
  assert.deepEqual(resolveConnection({}, {}), {
    projectName: "default",
    serviceName: "default",
    tracesUrl: "http://localhost:4318/v1/traces",
    headers: {},
  });
});

test("options beat THREADLINE_* variables, which beat OTEL_EXPORTER_OTLP_*", () => {
  const env = {
    THREADLINE_PROJECT: "env-project",
    THREADLINE_ENDPOINT: "http://threadline.internal:4318",
    THREADLINE_API_KEY: "env-key",
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
    OTEL_SERVICE_NAME: "env-service",
  };
  assert.deepEqual(resolveConnection({ projectName: "opt-project", endpoint: "https://tl.example.com/", apiKey: "opt-key" }, env), {
    projectName: "opt-project",
    serviceName: "env-service",
    tracesUrl: "https://tl.example.com/v1/traces",
    headers: { authorization: "Bearer opt-key" },
  });
  assert.deepEqual(resolveConnection({}, env), {
    projectName: "env-project",
    serviceName: "env-service",
    tracesUrl: "http://threadline.internal:4318/v1/traces",
    headers: { authorization: "Bearer env-key" },
  });
});

test("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is a full URL; OTEL_EXPORTER_OTLP_ENDPOINT a base", () => {
  const traces = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/custom/traces", OTEL_EXPORTER_OTLP_ENDPOINT: "http://other:4318" };
  assert.equal(resolveConnection({}, traces).tracesUrl, "http://collector:4318/custom/traces");
  assert.equal(resolveConnection({}, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracesUrl, "http://collector:4318/v1/traces");
  assert.equal(resolveConnection({ endpoint: "http://tl:4318/v1/traces" }, {}).tracesUrl, "http://tl:4318/v1/traces");
});

test("explicit headers win over the API key's authorization header, whatever their case", () => {
  const { headers } = resolveConnection({ apiKey: "k", headers: { Authorization: "Basic abc", "x-team": "ml" } }, {});
  assert.deepEqual(headers, { Authorization: "Basic abc", "x-team": "ml" });
});

test("invalid values are reported and the next setting is used", () => {
  const resolved = resolveConnection(
    { projectName: "  ", endpoint: "not a url", apiKey: "" },
    { THREADLINE_PROJECT: "env-project", THREADLINE_ENDPOINT: "ftp://nope", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" },
  );
  assert.equal(resolved.projectName, "env-project");
  assert.equal(resolved.tracesUrl, "http://collector:4318/v1/traces");
  assert.deepEqual(resolved.headers, {});
  assert.equal(warnings.length, 4, warnings.join("\n"));
  assert.match(warnings[0], /register: dropped projectName: must be a non-empty string/);
  assert.match(warnings[1], /register: dropped endpoint: must be an http\(s\) URL, got "not a url"/);
  assert.match(warnings[2], /register: dropped THREADLINE_ENDPOINT: must be an http\(s\) URL/);
  assert.match(warnings[3], /register: dropped apiKey: must be a non-empty string/);
});

test("in strict mode an invalid value throws a TypeError", async () => {
  await strictly(() => {
    assert.throws(() => resolveConnection({ endpoint: "localhost:4318" }, {}), { name: "ThreadlineValidationError", message: /endpoint/ });
  });
});
