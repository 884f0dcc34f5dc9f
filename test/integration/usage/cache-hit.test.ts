import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type RedisRestStack, startRedisRestStack } from "../../helpers/bridge";
import { type FakeEmbedder, startFakeEmbedder } from "../../helpers/fake-embedder";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm";
import { type OtlpReceiver, startOtlpReceiver } from "../../helpers/otlp-receiver";
import { startVectorServer, type VectorServerProcess } from "../../helpers/vector-server";
import { startWranglerDev, type WranglerDevServer } from "../../helpers/wrangler";

/**
 * A semantic-cache hit as usage sees it: counted for its key as a cache hit that cost nothing of
 * the model, with memory spans in its trace. Real `wrangler dev`, redis-server, PGlite + pgvector,
 * a fake embedder and a fake Groq; the model is priced through MODEL_PRICES.
 */
const KEY = "cache-usage-key-0123456789";
const stack = {} as {
  llm: FakeLlm;
  embedder: FakeEmbedder;
  vectors: VectorServerProcess;
  redis: RedisRestStack;
  collector: OtlpReceiver;
  worker: WranglerDevServer;
};

beforeAll(async () => {
  const [llm, embedder, vectors, redis, collector] = await Promise.all([
    startFakeLlm(),
    startFakeEmbedder(),
    startVectorServer({ migrate: true }),
    startRedisRestStack(),
    startOtlpReceiver(),
  ]);
  Object.assign(stack, { llm, embedder, vectors, redis, collector });
  stack.worker = await startWranglerDev({
    vars: {
      API_KEYS: `cache:${KEY}`,
      LLM_PROVIDERS: "groq",
      GROQ_API_KEY: "gsk_cache_usage_key_0000000000",
      GROQ_BASE_URL: llm.groqBaseUrl,
      GROQ_MODEL: "ok:cache-usage",
      EMBEDDING_PROVIDER: "ollama",
      EMBEDDING_BASE_URL: embedder.url,
      EMBEDDING_MODEL: "ok",
      VECTOR_TIMEOUT_MS: "5000",
      SEMANTIC_CACHE_THRESHOLD: "0.9",
      UPSTASH_REDIS_REST_URL: redis.url,
      UPSTASH_REDIS_REST_TOKEN: redis.token,
      MODEL_PRICES: JSON.stringify({ "groq/ok:cache-usage": { inputPerMTok: 1, outputPerMTok: 2 } }),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    },
    env: { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_VECTOR_DB: vectors.url },
  });
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([
    stack.worker?.stop(),
    stack.vectors?.stop(),
    stack.embedder?.close(),
    stack.llm?.close(),
    stack.redis?.close(),
    stack.collector?.close(),
  ]);
});

const chat = async (body: Record<string, unknown>, traceparent: string) => {
  const response = await fetch(`${stack.worker.url}/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", traceparent },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; cache?: { hit: boolean }; usage: { cost: number } };
};

it("a cache hit is counted for its key, costs nothing of the model, and its trace shows the memory lookup", async () => {
  const question = `What is the capital of France, asked at ${Date.now()}?`;
  const first = await chat(
    { message: question, temperature: 0 },
    `00-${"1".repeat(32)}-${"2".repeat(16)}-01`,
  );
  expect(first.usage.cost).toBeCloseTo((12 * 1 + 6 * 2) / 1e6, 12);

  const hitTrace = "3".repeat(32);
  const hit = await vi.waitFor(
    async () => {
      const answer = await chat(
        { message: question.replace("What is", "what's"), temperature: 0 },
        `00-${hitTrace}-${"4".repeat(16)}-01`,
      );
      expect(answer.cache?.hit).toBe(true);
      return answer;
    },
    { timeout: 30_000, interval: 500 },
  );
  expect(hit.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 });

  const report = await vi.waitFor(
    async () => {
      const response = await fetch(`${stack.worker.url}/usage`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      const body = (await response.json()) as {
        totals: { requests: number; cacheHits: number; costUsd: number; promptTokens: number };
      };
      expect(body.totals.cacheHits).toBe(1);
      return body;
    },
    { timeout: 15_000, interval: 300 },
  );
  expect(report.totals.promptTokens).toBe(12 * (report.totals.requests - 1));
  expect(report.totals.costUsd).toBeCloseTo(((12 * 1 + 6 * 2) / 1e6) * (report.totals.requests - 1), 12);

  const names = await vi.waitFor(
    () => {
      const spans = stack.collector.spans().filter((span) => span.traceId === hitTrace);
      expect(spans.some((span) => span.name === "memory lookup")).toBe(true);
      return spans.map((span) => span.name);
    },
    { timeout: 15_000, interval: 300 },
  );
  expect(names.filter((name) => name.startsWith("chat "))).toEqual([]);
  const root = stack.collector.spans().find((span) => span.traceId === hitTrace && span.kind === 2);
  expect(root?.attributes).toMatchObject({ "neon_nexus.outcome": "cache_hit", "neon_nexus.cost_usd": 0 });
}, 90_000);
