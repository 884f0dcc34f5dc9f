import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type Stack, startStack } from "../../helpers/stack";

/**
 * A semantic-cache hit as usage sees it: counted for its key as a cache hit that cost nothing of
 * the model, with memory spans in its trace. Real `wrangler dev`, redis-server, PGlite + pgvector,
 * a fake embedder and a fake Groq; the model is priced through MODEL_PRICES.
 */
const KEY = "cache-usage-key-0123456789";
let stack: Stack<{ vectors: true; redis: true; collector: true }>;

beforeAll(async () => {
  stack = await startStack({
    vectors: true,
    redis: true,
    collector: true,
    vars: {
      API_KEYS: `cache:${KEY}`,
      GROQ_API_KEY: "gsk_cache_usage_key_0000000000",
      GROQ_MODEL: "ok:cache-usage",
      SEMANTIC_CACHE_THRESHOLD: "0.9",
      MODEL_PRICES: JSON.stringify({ "groq/ok:cache-usage": { inputPerMTok: 1, outputPerMTok: 2 } }),
    },
  });
}, 240_000);

afterAll(() => stack?.stop());

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

  // The first answer is written to the cache after it is sent, so an early retry may miss and ask
  // the model. Each try gets its own trace, so only the try that hit is inspected below.
  let tries = 0;
  let hitTrace = "";
  const hit = await vi.waitFor(
    async () => {
      tries += 1;
      const trace = tries.toString(16).padStart(32, "3");
      const answer = await chat(
        { message: question.replace("What is", "what's"), temperature: 0 },
        `00-${trace}-${"4".repeat(16)}-01`,
      );
      expect(answer.cache?.hit).toBe(true);
      hitTrace = trace;
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
