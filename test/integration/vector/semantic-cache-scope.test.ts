import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatAs, type Stack, searchFinds, startStack } from "../../helpers/stack";

/**
 * The semantic cache's scope as a client meets it, in the shared-cache mode
 * (`SEMANTIC_CACHE_SHARED=true`, entries shared between keys): real `wrangler dev` with PGlite +
 * pgvector behind its Hyperdrive binding, a fake embedder and a fake Groq.
 */
const ALICE = "alice-scope-key-0123456789ab";
const BOB = "bob-scope-key-0123456789abcd";
const LLM_KEY = `scope${Date.now()}`;
let stack: Stack<{ vectors: true }>;

beforeAll(async () => {
  stack = await startStack({
    vectors: true,
    vars: {
      API_KEYS: `alice:${ALICE},bob:${BOB}`,
      GROQ_API_KEY: "gsk_scope_test_key_00000000000",
      GROQ_MODEL: `ok:${LLM_KEY}`,
      SEMANTIC_CACHE_THRESHOLD: "0.9",
      SEMANTIC_CACHE_SHARED: "true",
    },
  });
}, 240_000);

afterAll(() => stack?.stop());

interface ChatAnswer {
  id: string;
  conversationId: string;
  message: string;
  metrics: { source: string } | null;
  metricsStatus: string;
  cache?: { hit: boolean };
}

const chat = (key: string, body: Record<string, unknown>) => chatAs<ChatAnswer>(stack.worker.url, key, body);

/** Answers are stored after the response (waitUntil): wait until the owner's search finds this one. */
const stored = (key: string, answer: ChatAnswer, text: string) =>
  searchFinds(stack.worker.url, key, answer.conversationId, answer.id, text);

describe("the semantic cache's scope in the shared mode", () => {
  const question = `What is the tallest mountain in Europe, asked at ${Date.now()}?`;

  it("never answers a metrics:sync request with an unscored metrics:off answer", async () => {
    const unscored = await chat(ALICE, { message: question, temperature: 0, metrics: "off" });
    expect(unscored).toMatchObject({ metrics: null, metricsStatus: "off" });
    await stored(ALICE, unscored, question);

    const scored = await chat(ALICE, { message: question, temperature: 0, metrics: "sync" });
    expect(scored.cache).toBeUndefined();
    expect(scored).toMatchObject({ metricsStatus: "ready", metrics: { source: "local" } });
    await stored(ALICE, scored, question);
  }, 90_000);

  it("shares an answer with another key only under the same scope", async () => {
    const synced = await chat(BOB, { message: question, temperature: 0, metrics: "sync" });
    expect(synced.cache?.hit).toBe(true);
    expect(synced).toMatchObject({ metricsStatus: "ready", metrics: { source: "local" } });

    const off = await chat(BOB, { message: question, temperature: 0, metrics: "off" });
    expect(off.cache?.hit).toBe(true);
    expect(off.metrics).toBeNull();

    const capped = await chat(BOB, { message: question, temperature: 0, metrics: "sync", maxTokens: 77 });
    expect(capped.cache).toBeUndefined();
  });
});
