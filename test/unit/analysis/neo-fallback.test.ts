import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnalyzer } from "../../../src/analysis";
import { analyzeWithNeo, NeoError, parseElapsedTime } from "../../../src/analysis/neo";
import { MetricsSchema } from "../../../src/schemas/metrics";
import { CAPTURED_NEO_RESPONSE, type FakeNeo, startFakeNeo } from "../../helpers/fake-neo";

const API_KEY = "api_test_secret_key_0123456789";
const REPLY =
  "The council voted on Tuesday to close the old library on Market Street. Residents said they were " +
  "angry, and a petition had already gathered more than two thousand names in a single week.";

let neo: FakeNeo;
let logged: Record<string, unknown>[];

beforeAll(async () => {
  neo = await startFakeNeo();
});
afterAll(async () => {
  await neo.close();
});
beforeEach(() => {
  neo.requests.length = 0;
  neo.script();
  logged = [];
});

function analyzer(timeoutMs = 2_000) {
  return createAnalyzer({
    neo: { apiKey: API_KEY, url: neo.url, timeoutMs },
    log: (event) => logged.push(event),
  });
}

describe("Neo analyzer", () => {
  it("sends a snake_case body with the bearer key and maps the captured answer into the flat object", async () => {
    const metrics = await analyzer().analyze(REPLY, { prompt: "Tell me the news" });

    expect(neo.requests).toHaveLength(1);
    const [request] = neo.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/analyze");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body).toMatchObject({
      text: REPLY,
      prompt: "Tell me the news",
      full_metrics: true,
      language: "auto",
    });
    expect(Object.keys(request?.body ?? {})).toEqual(
      expect.arrayContaining(["project", "group", "analysis_slug"]),
    );

    expect(MetricsSchema().parse(metrics)).toEqual(metrics);
    expect(metrics).toMatchObject({
      source: "neo",
      is_ai_generated: true,
      human_likeness_score: 32,
      threshold: 70,
      neo_elapsed_ms: 690,
      neo_analysis_id: CAPTURED_NEO_RESPONSE.analysis_id,
      ...JSON.parse(JSON.stringify(CAPTURED_NEO_RESPONSE.metrics)),
    });
    expect(metrics).not.toHaveProperty("fallback_reason");
  });

  it.each([
    ["a 401", [{ kind: "status", status: 401 }], "neo_http_401", 1],
    [
      "a 429 with a long retry-after",
      [{ kind: "status", status: 429, headers: { "retry-after": "30" } }],
      "neo_http_429",
      1,
    ],
    [
      "two 500s",
      [
        { kind: "status", status: 500 },
        { kind: "status", status: 500 },
      ],
      "neo_http_5xx",
      2,
    ],
    ["a body that is not JSON", [{ kind: "not_json" }], "neo_bad_response", 1],
    ["an answer without human_likeness_score", [{ kind: "missing_fields" }], "neo_bad_response", 1],
    [
      "two dropped connections",
      [{ kind: "drop_connection" }, { kind: "drop_connection" }],
      "neo_network_error",
      2,
    ],
  ] as const)("falls back to the local analyzer after %s", async (_, behaviours, reason, calls) => {
    neo.script(...behaviours);
    const metrics = await analyzer().analyze(REPLY);

    expect(metrics.source).toBe("local");
    expect(metrics.fallback_reason).toBe(reason);
    expect(metrics.readability_metrics?.flesch_reading_ease).toBeTypeOf("number");
    expect(MetricsSchema().safeParse(metrics).success).toBe(true);
    expect(neo.requests).toHaveLength(calls);
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: "analysis_fallback", fallback_reason: reason }),
    );
  });

  it("retries once after a 500 and then uses Neo's answer", async () => {
    neo.script({ kind: "status", status: 503 });
    const metrics = await analyzer().analyze(REPLY);
    expect(metrics.source).toBe("neo");
    expect(neo.requests).toHaveLength(2);
  });

  it("a 429 with retry-after 1 is retried once and then succeeds", async () => {
    neo.script({ kind: "status", status: 429, headers: { "retry-after": "1" } });
    const metrics = await analyzer(5_000).analyze(REPLY);
    expect(metrics.source).toBe("neo");
    expect(neo.requests).toHaveLength(2);
  });

  it("gives up on a hanging Neo at the timeout and scores locally", async () => {
    neo.script({ kind: "hang" });
    const metrics = await analyzer(300).analyze(REPLY);
    expect(metrics).toMatchObject({ source: "local", fallback_reason: "neo_timeout" });
  });

  it("never puts the API key or the upstream body into errors or logs", async () => {
    neo.script({ kind: "status", status: 401, body: `invalid key ${API_KEY}` });
    const error = await analyzeWithNeo(REPLY, { apiKey: API_KEY, url: neo.url, timeoutMs: 2_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NeoError);
    expect(String(error)).not.toContain(API_KEY);
    expect(String(error)).not.toContain("invalid key");
    expect(JSON.stringify(error)).not.toContain(API_KEY);

    for (const behaviour of [
      { kind: "status", status: 401 },
      { kind: "hang" },
      { kind: "not_json" },
    ] as const) {
      neo.script(behaviour);
      await analyzer(300).analyze(REPLY);
    }
    await analyzer().analyze(REPLY);
    const everything = JSON.stringify(logged);
    expect(logged.length).toBeGreaterThan(0);
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(REPLY.slice(0, 30));
  });
});

describe("without Neo", () => {
  it("scores locally and says so", async () => {
    const local = createAnalyzer({});
    expect(local.primary).toBe("local");
    const metrics = await local.analyze(REPLY);
    expect(metrics.source).toBe("local");
    expect(metrics).not.toHaveProperty("fallback_reason");
  });
});

describe("parseElapsedTime", () => {
  it.each([
    ["0.69 seconds", 690],
    ["690 ms", 690],
    ["2s", 2000],
    ["soon", undefined],
  ])("reads %s", (text, milliseconds) => {
    expect(parseElapsedTime(text)).toBe(milliseconds);
  });
});
