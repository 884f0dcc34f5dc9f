import { describe, expect, it } from "vitest";
import { analyzeLocally } from "../../src/analysis/local";
import { call, calls, makeEnv, readSse, uniqueKey } from "./support";

/** Provider limits far beyond any test's run, for tests where only the client may end the call. */
const NO_PROVIDER_TIMEOUTS = { PROVIDER_FIRST_BYTE_TIMEOUT_MS: "60000", PROVIDER_TOTAL_TIMEOUT_MS: "60000" };

const chat = (body: Record<string, unknown>, env = makeEnv(), headers: Record<string, string> = {}) =>
  call("/chat", { method: "POST", json: body, headers }, env);

describe("POST /chat (JSON)", () => {
  it("answers with Groq's reply in the documented ChatResponse shape", async () => {
    const response = await chat({ message: "Hi", metrics: "off" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      message: "Hello from the fake model.",
      metrics: null,
      metricsStatus: "off",
      provider: "groq",
      model: "ok:default",
      usage: { promptTokens: 12, completionTokens: 6, totalTokens: 18 },
    });
    expect(body.id).toMatch(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.conversationId).toMatch(/^conv_/);
  });

  it("adds the score of the assistant's replies so far in the conversation to the reply's metrics", async () => {
    const earlier =
      "Certainly! Regular exercise offers a wide range of benefits for both your body and your mind. It strengthens your heart, improves circulation, and helps you maintain a healthy weight.";
    const response = await chat({
      message: "And what about sleep?",
      context: [
        { role: "user", content: "Why exercise?" },
        { role: "assistant", content: earlier },
      ],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      message: string;
      metrics: { word_count: number; conversation: Record<string, unknown> };
    };
    expect(body.metrics.conversation).toMatchObject({ replies: 2, is_ai_generated: expect.any(Boolean) });
    // The earlier reply's words and this one's, read together.
    expect(body.metrics.conversation.words).toBe(
      (analyzeLocally(earlier).word_count as number) + body.metrics.word_count,
    );
    const probability = body.metrics.conversation.ai_probability as number;
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
  });

  it("answers through Ollama's native API", async () => {
    const response = await chat({ message: "Hi", metrics: "off" }, makeEnv({ LLM_PROVIDERS: "ollama" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      message: "Hello from the fake model.",
      provider: "ollama",
      usage: { promptTokens: 12, completionTokens: 6, totalTokens: 18 },
    });
  });

  it("gives two equal replies different ids", async () => {
    const responses = await Promise.all([
      chat({ message: "Hi", metrics: "off" }),
      chat({ message: "Hi", metrics: "off" }),
    ]);
    const ids = await Promise.all(
      responses.map(async (response) => ((await response.json()) as { id: string }).id),
    );
    expect(new Set(ids).size).toBe(2);
  });

  it("retries a 429 with retry-after once and then succeeds", async () => {
    const key = uniqueKey("rl");
    const response = await chat(
      { message: "Hi", metrics: "off" },
      makeEnv({ GROQ_MODEL: `rate-limit-once:${key}` }),
    );
    expect(response.status).toBe(200);
    expect((await calls(key)).calls).toBe(2);
  });

  it("falls back to the next provider after Groq keeps answering 500", async () => {
    const key = uniqueKey("fb");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-500:${key}`,
      PROVIDER_MAX_RETRIES: "1",
    });
    const response = await chat({ message: "Hi", metrics: "off" }, env);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { provider: string }).provider).toBe("ollama");
    expect((await calls(key)).calls).toBe(2);
  });

  it("never retries a 400 from the provider, answers it as the caller's 400, and does not pass its body through", async () => {
    const key = uniqueKey("400");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-400:${key}`,
      OLLAMA_MODEL: `ok:${key}`,
    });
    const response = await chat({ message: "Hi" }, env);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; details: string };
    expect(body).toMatchObject({ status: "error", error: "invalid_request" });
    expect(body.details).toContain("groq answered HTTP 400 (invalid_request)");
    expect(body.details).not.toContain("bad request");
    expect((await calls(key)).calls).toBe(1);
  });

  it("answers 502 when every provider fails, without upstream account details", async () => {
    const key = uniqueKey("allfail");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-500:${key}`,
      OLLAMA_MODEL: `model-404:${key}`,
      PROVIDER_MAX_RETRIES: "0",
    });
    const response = await chat({ message: "Hi" }, env);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: "error", error: "provider_error" });
    expect(text).not.toContain("acct_secret_123");
    expect(text).toContain("groq answered HTTP 500");
    expect(text).toContain("ollama answered HTTP 404");
  });

  it("answers 429 with Retry-After when the provider stays rate limited", async () => {
    const key = uniqueKey("rl-always");
    const response = await chat(
      { message: "Hi" },
      makeEnv({ GROQ_MODEL: `rate-limit-always:${key}`, PROVIDER_MAX_RETRIES: "0" }),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toMatchObject({ error: "rate_limited" });
  });

  it("answers 504 when the provider hangs past the first-byte timeout", async () => {
    const key = uniqueKey("hang");
    const env = makeEnv({
      GROQ_MODEL: `hang:${key}`,
      PROVIDER_FIRST_BYTE_TIMEOUT_MS: "300",
      PROVIDER_MAX_RETRIES: "0",
    });
    const response = await chat({ message: "Hi" }, env);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ status: "error", error: "provider_timeout" });
  });

  it("aborts the upstream call when the client goes away", async () => {
    const key = uniqueKey("gone");
    const client = new AbortController();
    const pending = call(
      "/chat",
      { method: "POST", json: { message: "Hi" }, signal: client.signal },
      // No provider timeout can end the call first: only the client's going away may abort it.
      makeEnv({ GROQ_MODEL: `hang:${key}`, ...NO_PROVIDER_TIMEOUTS }),
    );
    await expect.poll(async () => (await calls(key)).calls, { timeout: 10_000 }).toBe(1);
    client.abort();
    await pending.catch(() => undefined);
    await expect.poll(async () => (await calls(key)).aborted, { timeout: 10_000 }).toBe(1);
  }, 30_000);

  it("answers 503 naming the variables to set when no provider is configured", async () => {
    const response = await chat({ message: "Hi" }, { AUTH_DISABLED: "true", LOG_LEVEL: "error" });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: string; details: string };
    expect(body.error).toBe("provider_unavailable");
    expect(body.details).toContain("GROQ_API_KEY");
    expect(body.details).toContain("OLLAMA_URL");
  });

  it("answers 502 when the provider sends something that is not JSON", async () => {
    const response = await chat(
      { message: "Hi" },
      makeEnv({ GROQ_MODEL: `not-json:${uniqueKey("nj")}`, PROVIDER_MAX_RETRIES: "0" }),
    );
    expect(response.status).toBe(502);
  });
});

describe("POST /chat (Server-Sent Events)", () => {
  it("streams Groq deltas, then a done event with the JSON answer's object", async () => {
    const response = await chat({ message: "Hi", stream: true, metrics: "off" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(response);
    expect(events[0]?.event).toBe("start");
    const deltas = events
      .filter((event) => event.event === "delta")
      .map((event) => (event.data as { text: string }).text);
    expect(deltas.join("")).toBe("Hello from the fake model.");
    expect(deltas.length).toBeGreaterThan(1);
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    expect(done?.data).toMatchObject({
      message: "Hello from the fake model.",
      provider: "groq",
      usage: { totalTokens: 18 },
    });
  });

  it("streams Ollama NDJSON when asked with Accept: text/event-stream", async () => {
    const response = await chat({ message: "Hi", metrics: "off" }, makeEnv({ LLM_PROVIDERS: "ollama" }), {
      accept: "text/event-stream",
    });
    const events = await readSse(response);
    expect(events.at(-1)).toMatchObject({
      event: "done",
      data: { provider: "ollama", message: "Hello from the fake model." },
    });
  });

  it("delivers the first delta while the upstream is still open; cancelling aborts the upstream call", async () => {
    const key = uniqueKey("open");
    const response = await chat(
      { message: "Hi", stream: true, metrics: "off" },
      makeEnv({ GROQ_MODEL: `hang-after-first:${key}`, ...NO_PROVIDER_TIMEOUTS }),
    );
    const reader = (response.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let seen = "";
    while (!seen.includes("event: delta")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    expect(seen).toContain('"text":"Hello"');
    await reader.cancel();
    await expect.poll(async () => (await calls(key)).aborted, { timeout: 10_000 }).toBe(1);
  }, 30_000);

  it.each(["groq", "ollama"])(
    "turns an error inside %s's 200 stream into an error event",
    async (provider) => {
      const key = uniqueKey("mid");
      const env = makeEnv({
        LLM_PROVIDERS: provider,
        GROQ_MODEL: `error-midstream:${key}`,
        OLLAMA_MODEL: `error-midstream:${key}`,
      });
      const events = await readSse(await chat({ message: "Hi", stream: true, metrics: "off" }, env));
      expect(events.filter((event) => event.event === "delta").length).toBe(2);
      expect(events.at(-1)).toMatchObject({
        event: "error",
        data: { status: "error", error: "provider_error" },
      });
      expect(events.some((event) => event.event === "done")).toBe(false);
    },
  );

  it("falls back before the first delta when the first provider fails", async () => {
    const key = uniqueKey("sfb");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-500:${key}`,
      PROVIDER_MAX_RETRIES: "0",
    });
    const events = await readSse(await chat({ message: "Hi", stream: true, metrics: "off" }, env));
    expect(events.at(-1)).toMatchObject({ event: "done", data: { provider: "ollama" } });
  });
});
