import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { bearer, KEYS, securedEnv } from "../../test/worker/security/keys";
import { call, fakeLlmUrl } from "../../test/worker/support";

const SECRETS = {
  groq: "gsk_secret_groq_7f3a9c1e5b2d4068",
  openai: "sk-secret-openai-2b8e4f6a1c9d3057",
  neo: "neo_secret_key_5d1c8a3f7e2b9064",
  redis: "redis_secret_token_9e4b2f7a1d6c3085",
  party: "party_secret_value_3a7d9e1b5c2f8046",
};
const ALL_SECRETS = [...Object.values(SECRETS), ...Object.values(KEYS)];

const env = securedEnv({
  LOG_LEVEL: "debug",
  LLM_PROVIDERS: "groq,openai",
  GROQ_API_KEY: SECRETS.groq,
  OPENAI_BASE_URL: `${fakeLlmUrl()}/openai/v1`,
  OPENAI_API_KEY: SECRETS.openai,
  OPENAI_MODEL: "ok:secrets",
  NEO_API_KEY: SECRETS.neo,
  NEO_API_URL: `${fakeLlmUrl()}/neo`,
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
  UPSTASH_REDIS_REST_TOKEN: SECRETS.redis,
  CACHE_TIMEOUT_MS: "200",
  CACHE_WRITE_RETRY_MS: "0",
  PARTYKIT_HOST: "http://127.0.0.1:9",
  PARTY_SECRET: SECRETS.party,
  RATE_LIMIT_ANALYZE_PER_MINUTE: "2",
  PROVIDER_MAX_RETRIES: "1",
});

const chat = (body: Record<string, unknown>, key: string = KEYS.alice) =>
  call(
    "/chat",
    { method: "POST", headers: bearer(key), json: { message: "Tell me a secret.", ...body } },
    env,
  );

const captured: string[] = [];
const spies: MockInstance[] = [];

beforeAll(() => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    spies.push(
      vi
        .spyOn(console, method)
        .mockImplementation((...args: unknown[]) => void captured.push(args.map(String).join(" "))),
    );
  }
});

afterAll(async () => {
  // Let late background log lines (timed-out cache and room calls) land before the spies go.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (const spy of spies) spy.mockRestore();
});

async function transcript(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  return `${response.status}\n${headers}\n${await response.text()}`;
}

describe("no configured secret ever shows", () => {
  it("in an error that echoes what the client sent, where it is replaced by [redacted]", async () => {
    const response = await call(`/no-such-route/${SECRETS.groq}`, { headers: bearer(KEYS.alice) }, env);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { details: string };
    expect(body.details).toContain("[redacted]");
    expect(body.details).not.toContain(SECRETS.groq);
  });

  it("in any answer or log line across every endpoint, its failures included", async () => {
    const answers: Response[] = [
      await chat({}),
      await chat({ stream: true }),
      await chat({ provider: "groq", model: "fail-500:secrets" }),
      await chat({ provider: "groq", model: "fail-400:secrets" }),
      await chat({ provider: "groq", model: "rate-limit-always:secrets" }),
      await chat({ provider: "groq", model: "not-json:secrets" }),
      await chat({ provider: "groq", model: "error-midstream:secrets", stream: true }),
      await chat({ provider: "openai", model: "model-404:secrets" }),
      await chat({ conversationId: "conv_secrets", metrics: "async" }),
      await call(
        "/analyze",
        { method: "POST", headers: bearer(KEYS.bob), json: { text: "A text with no secrets in it." } },
        env,
      ),
      await call(
        "/analyze",
        { method: "POST", headers: bearer(KEYS.bob), json: { text: "Another one." } },
        env,
      ),
      await call(
        "/analyze",
        { method: "POST", headers: bearer(KEYS.bob), json: { text: "Over the limit." } },
        env,
      ),
      await call("/analyze", { method: "POST", headers: bearer(KEYS.alice), json: { text: "" } }, env),
      await call("/messages/msg_unknown", { headers: bearer(KEYS.alice) }, env),
      await call("/metrics/msg_unknown", { headers: bearer(KEYS.alice) }, env),
      await call("/conversations/conv_secrets", { headers: bearer(KEYS.alice) }, env),
      await call("/models", { headers: bearer(KEYS.alice) }, env),
      await call("/health", {}, env),
      await call("/rooms/conv_secrets/token", { method: "POST", headers: bearer(KEYS.alice) }, env),
      await call("/models", { headers: bearer(KEYS.alice.slice(0, -2)) }, env),
      await call("/models", { headers: { authorization: `Basic ${KEYS.alice}` } }, env),
      await call(`/messages/${KEYS.bob}`, {}, env),
      await call(`/nope?token=${SECRETS.party}`, { headers: bearer(KEYS.alice) }, env),
      await call("/audit", { headers: bearer(KEYS.alice) }, env),
      await call("/audit?limit=200", { headers: bearer(KEYS.admin) }, env),
      await call("/health", {}, { ...env, MESSAGES_TTL_SECONDS: SECRETS.groq }),
    ];
    const texts = await Promise.all(answers.map(transcript));
    expect(answers.some((answer) => answer.status === 429)).toBe(true);
    expect(answers.some((answer) => answer.status === 401)).toBe(true);
    expect(answers.some((answer) => answer.status >= 500)).toBe(true);
    expect(captured.length).toBeGreaterThan(answers.length);
    const everything = [...texts, ...captured].join("\n");
    for (const secret of ALL_SECRETS) expect(everything).not.toContain(secret);
  }, 30_000);
});
