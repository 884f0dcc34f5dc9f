import { describe, expect, it } from "vitest";
import { call, calls, makeEnv, requestsFor, uniqueKey } from "./support";

const chat = (body: Record<string, unknown>, env: Record<string, string>) =>
  call("/chat", { method: "POST", json: { metrics: "off", ...body } }, env);

describe("the provider's retry-after", () => {
  it("is honoured: a wait longer than the time left is not retried early, the client is told to wait", async () => {
    const key = uniqueKey("retry-after");
    const response = await chat({ message: "Hi" }, makeEnv({ GROQ_MODEL: `rate-limit-once-long:${key}` }));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect((await calls(key)).calls).toBe(1);
  });
});

describe("MAX_CONTEXT_CHARS", () => {
  it("sends the newest turns that fit and drops the oldest", async () => {
    const key = uniqueKey("trim");
    const context = [
      { role: "user", content: `oldest ${"a".repeat(60)}` },
      { role: "assistant", content: `middle ${"b".repeat(30)}` },
      { role: "user", content: `newest ${"c".repeat(30)}` },
    ];
    const env = makeEnv({ GROQ_MODEL: `ok:${key}`, MAX_CONTEXT_CHARS: "100" });
    expect((await chat({ message: "Question?", context }, env)).status).toBe(200);
    const [sent] = await requestsFor(key);
    const messages = (sent?.messages ?? []) as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.content.split(" ")[0])).toEqual([
      "middle",
      "newest",
      "Question?",
    ]);
  });
});

describe("MAX_TOKENS_CAP", () => {
  it("is sent to the provider when the client gives no maxTokens, and caps one that is larger", async () => {
    const key = uniqueKey("cap");
    const env = makeEnv({ GROQ_MODEL: `ok:${key}`, MAX_TOKENS_CAP: "300" });
    expect((await chat({ message: "Hi" }, env)).status).toBe(200);
    expect((await chat({ message: "Hi", maxTokens: 5_000 }, env)).status).toBe(200);
    expect((await chat({ message: "Hi", maxTokens: 50 }, env)).status).toBe(200);
    const sent = await requestsFor(key);
    expect(sent.map((body) => body.max_completion_tokens)).toEqual([300, 300, 50]);
  });

  it("bounds Ollama's num_predict too, below LOCAL_LLM_MAX_TOKENS", async () => {
    const key = uniqueKey("cap-ollama");
    const env = makeEnv({ LLM_PROVIDERS: "ollama", OLLAMA_MODEL: `ok:${key}`, MAX_TOKENS_CAP: "300" });
    expect((await chat({ message: "Hi" }, env)).status).toBe(200);
    const [sent] = await requestsFor(key);
    expect(sent?.options).toMatchObject({ num_predict: 300 });
  });
});

describe("caller errors from the provider", () => {
  it("answers an upstream 422 as 422 in the envelope, without asking the next provider", async () => {
    const key = uniqueKey("422");
    const env = makeEnv({
      LLM_PROVIDERS: "groq,ollama",
      GROQ_MODEL: `fail-422:${key}`,
      OLLAMA_MODEL: `ok:${key}`,
    });
    const response = await chat({ message: "Hi" }, env);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ status: "error", error: "invalid_request" });
    expect((await calls(key)).calls).toBe(1);
  });

  it("answers 404 when the model the client chose does not exist upstream", async () => {
    const key = uniqueKey("404");
    const response = await chat({ provider: "groq", message: "Hi", model: `model-404:${key}` }, makeEnv());
    expect(response.status).toBe(404);
    expect(((await response.json()) as { details: string }).details).toContain("model_not_found");
  });

  it("keeps a 404 for the server's own default model a provider failure (502)", async () => {
    const key = uniqueKey("404-default");
    const response = await chat({ message: "Hi" }, makeEnv({ GROQ_MODEL: `model-404:${key}` }));
    expect(response.status).toBe(502);
  });
});

describe("a model without a provider", () => {
  it("goes only to the providers that list it", async () => {
    const groq = uniqueKey("listed-groq");
    const ollama = uniqueKey("listed-ollama");
    const env = makeEnv({
      LLM_PROVIDERS: "ollama,groq",
      GROQ_MODEL: `ok:${groq}`,
      OLLAMA_MODEL: `ok:${ollama}`,
    });
    const response = await chat({ message: "Hi", model: "openai/gpt-oss-20b" }, env);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ provider: "groq", model: "openai/gpt-oss-20b" });
    const local = await chat({ message: "Hi", model: "llama3.2" }, env);
    expect(await local.json()).toMatchObject({ provider: "ollama" });
  });

  it("is a 404 naming the model when no provider lists it, and no provider is asked", async () => {
    const key = uniqueKey("unlisted");
    const env = makeEnv({ LLM_PROVIDERS: "groq,ollama", GROQ_MODEL: `ok:${key}`, OLLAMA_MODEL: `ok:${key}` });
    const response = await chat({ message: "Hi", model: "no-such-model" }, env);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: "not_found",
      details: expect.stringContaining('"no-such-model"'),
    });
    expect((await calls(key)).calls).toBe(0);
  });
});
