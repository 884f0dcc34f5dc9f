import { describe, expect, it } from "vitest";
import { call, fakeLlmUrl, makeEnv, requestsFor, uniqueKey } from "./support";

const complete = (body: Record<string, unknown>, env = makeEnv(), headers: Record<string, string> = {}) =>
  call("/v1/chat/completions", { method: "POST", json: body, headers }, env);
const hi = [{ role: "user", content: "Hi" }];

interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** The `data:` payloads of an OpenAI stream, `[DONE]` kept as the string. */
async function dataEvents(response: Response): Promise<unknown[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => block.slice(6))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}

describe("POST /v1/chat/completions", () => {
  it("passes top_p, stop, seed, user, the penalties and response_format to Groq, and caps the token budget", async () => {
    const key = uniqueKey("v1-options");
    const response = await complete(
      {
        model: `groq/ok:${key}`,
        messages: hi,
        top_p: 0.5,
        stop: ["END"],
        seed: 42,
        user: "user-7",
        max_tokens: 50_000,
        response_format: { type: "json_object" },
        frequency_penalty: 0.1,
        presence_penalty: -0.5,
      },
      makeEnv({ MAX_TOKENS_CAP: "100" }),
      { "x-metrics": "off" },
    );
    expect(response.status).toBe(200);
    const lastRequest = (await requestsFor(key)).at(-1);
    expect(lastRequest).toMatchObject({
      model: `ok:${key}`,
      top_p: 0.5,
      stop: ["END"],
      seed: 42,
      user: "user-7",
      max_completion_tokens: 100,
      response_format: { type: "json_object" },
      frequency_penalty: 0.1,
      presence_penalty: -0.5,
    });
  });

  it("maps response_format's JSON schema and the sampling options to Ollama's format and options", async () => {
    const key = uniqueKey("v1-ollama");
    const schema = { type: "object", properties: { answer: { type: "string" } } };
    const response = await complete(
      {
        model: `ollama/ok:${key}`,
        messages: hi,
        top_p: 0.5,
        seed: 3,
        frequency_penalty: 0.2,
        presence_penalty: 0.1,
        response_format: { type: "json_schema", json_schema: { name: "answer", schema } },
      },
      makeEnv({ LLM_PROVIDERS: "groq,ollama" }),
      { "x-metrics": "off" },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe(`ollama/ok:${key}`);
    const lastRequest = (await requestsFor(key)).at(-1);
    expect(lastRequest).toMatchObject({
      format: schema,
      options: { top_p: 0.5, seed: 3, frequency_penalty: 0.2, presence_penalty: 0.1 },
    });
  });

  it("answers a model no provider lists with 404 model_not_found, asking no provider", async () => {
    const response = await complete({ model: "gpt-4o-mini", messages: hi }, makeEnv(), {
      "x-metrics": "off",
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as OpenAIErrorBody).error).toMatchObject({
      type: "not_found_error",
      code: "model_not_found",
      param: "model",
    });
  });

  it("sends a listed id to the provider listing it, even when its first segment names another provider", async () => {
    const env = makeEnv({ LLM_PROVIDERS: "openai,groq", OPENAI_BASE_URL: `${fakeLlmUrl()}/compat/v1` });
    const groqs = await complete({ model: "openai/gpt-oss-20b", messages: hi }, env, { "x-metrics": "off" });
    expect(await groqs.json()).toMatchObject({
      model: "groq/openai/gpt-oss-20b",
      neon_nexus: { provider: "groq" },
    });
    const openais = await complete({ model: "gpt-4o-mini", messages: hi }, env, { "x-metrics": "off" });
    expect(await openais.json()).toMatchObject({
      model: "openai/gpt-4o-mini",
      neon_nexus: { provider: "openai" },
    });
  });

  it("answers OpenAI's context_length_exceeded when the provider says the conversation is too long", async () => {
    for (const provider of ["groq", "ollama"]) {
      const response = await complete(
        { model: `${provider}/context-too-long:v1-context`, messages: hi },
        makeEnv({ LLM_PROVIDERS: "groq,ollama" }),
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as OpenAIErrorBody).error).toMatchObject({
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "messages",
      });
    }
  });

  it("answers a model the provider does not have with 404 model_not_found", async () => {
    const response = await complete({ model: "groq/model-404:v1-404", messages: hi });
    expect(response.status).toBe(404);
    expect(((await response.json()) as OpenAIErrorBody).error).toMatchObject({ code: "model_not_found" });
  });

  it("answers X-Metrics: async at once, with metrics pending", async () => {
    const response = await complete({ model: "groq/ok:v1-async", messages: hi }, makeEnv(), {
      "x-metrics": "async",
    });
    expect(await response.json()).toMatchObject({ neon_nexus: { metricsStatus: "pending", metrics: null } });
  });

  it("refuses an unknown X-Metrics or a malformed X-Conversation-Id, naming the header", async () => {
    const metrics = await complete({ model: "groq/ok:v1-h", messages: hi }, makeEnv(), {
      "x-metrics": "later",
    });
    expect(metrics.status).toBe(400);
    expect(((await metrics.json()) as OpenAIErrorBody).error.param).toBe("x-metrics");
    const conversation = await complete({ model: "groq/ok:v1-h", messages: hi }, makeEnv(), {
      "x-conversation-id": "no spaces allowed",
    });
    expect(conversation.status).toBe(400);
    expect(((await conversation.json()) as OpenAIErrorBody).error.param).toBe("x-conversation-id");
  });

  it("keeps the request's system turn first, then the conversation's history, then the new turn", async () => {
    const key = uniqueKey("v1-history");
    const env = makeEnv();
    const first = await complete(
      { model: `groq/ok:${key}`, messages: [{ role: "user", content: "One" }] },
      env,
      {
        "x-metrics": "off",
      },
    );
    const { neon_nexus } = (await first.json()) as { neon_nexus: { conversationId: string } };
    await complete(
      {
        model: `groq/ok:${key}`,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Two" },
        ],
      },
      env,
      { "x-metrics": "off", "x-conversation-id": neon_nexus.conversationId },
    );
    const lastRequest = (await requestsFor(key)).at(-1);
    expect(lastRequest?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "One" },
      { role: "assistant", content: "Hello from the fake model." },
      { role: "user", content: "Two" },
    ]);
  });

  it("trims the oldest turns to fit the context budget but never the system prompt", async () => {
    const key = uniqueKey("v1-budget");
    const env = makeEnv({ MAX_CONTEXT_CHARS: "120" });
    const system = { role: "system", content: "S".repeat(50) };
    const response = await complete(
      {
        model: `groq/ok:${key}`,
        messages: [
          system,
          { role: "user", content: "old question ".repeat(5) },
          { role: "assistant", content: "old answer ".repeat(5) },
          { role: "user", content: "recent" },
          { role: "assistant", content: "recent answer" },
          { role: "user", content: "Now?" },
        ],
      },
      env,
      { "x-metrics": "off" },
    );
    expect(response.status).toBe(200);
    expect((await requestsFor(key)).at(-1)?.messages).toEqual([
      system,
      { role: "user", content: "recent" },
      { role: "assistant", content: "recent answer" },
      { role: "user", content: "Now?" },
    ]);

    const tooLong = await complete(
      { model: `groq/ok:${key}`, messages: [{ role: "system", content: "S".repeat(200) }, ...hi] },
      env,
    );
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as OpenAIErrorBody).error).toMatchObject({ param: "messages" });
    expect(await requestsFor(key)).toHaveLength(1);
  });

  it("checks the message cap after joining text parts: 100 parts of 32k never reach the provider", async () => {
    const key = uniqueKey("v1-parts");
    const parts = Array.from({ length: 10 }, () => ({ type: "text", text: "x".repeat(30_000) }));
    const response = await complete({
      model: `groq/ok:${key}`,
      messages: [{ role: "user", content: parts }],
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OpenAIErrorBody).error.param).toBe("messages.0.content");
    expect(await requestsFor(key)).toHaveLength(0);
  });

  it("continues only the key's own conversation: another key's is a 404 in OpenAI's shape", async () => {
    const env = makeEnv({
      AUTH_DISABLED: "false",
      API_KEYS: "alice:alice-key-0123456789abcdef,bob:bob-key-0123456789abcdef0",
    });
    const as = (key: string, conversationId?: string) =>
      complete({ model: "groq/ok:v1-owner", messages: hi }, env, {
        authorization: `Bearer ${key}`,
        "x-metrics": "off",
        ...(conversationId ? { "x-conversation-id": conversationId } : {}),
      });
    const first = await as("alice-key-0123456789abcdef");
    const { neon_nexus } = (await first.json()) as { neon_nexus: { conversationId: string } };
    expect((await as("alice-key-0123456789abcdef", neon_nexus.conversationId)).status).toBe(200);
    const stranger = await as("bob-key-0123456789abcdef0", neon_nexus.conversationId);
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as OpenAIErrorBody).error).toMatchObject({
      type: "not_found_error",
      code: "not_found",
    });
  });

  it("ends a stream that breaks after it started with an error event in OpenAI's shape", async () => {
    const response = await complete({ model: "groq/error-midstream:v1-break", messages: hi, stream: true });
    const events = await dataEvents(response);
    expect(events.at(-1)).toMatchObject({ error: { type: "server_error", code: "provider_error" } });
    expect(events).not.toContain("[DONE]");
  });

  it("answers errors in OpenAI's shape with /chat's statuses and headers", async () => {
    const notJson = await call("/v1/chat/completions", {
      method: "POST",
      body: "hi",
      headers: { "content-type": "text/plain" },
    });
    expect(notJson.status).toBe(415);
    expect(((await notJson.json()) as OpenAIErrorBody).error.code).toBe("unsupported_media_type");

    const broken = await call("/v1/chat/completions", {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as OpenAIErrorBody).error).toMatchObject({
      type: "invalid_request_error",
      code: "invalid_json",
    });

    const wrongMethod = await call("/v1/chat/completions");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("POST");
    expect(((await wrongMethod.json()) as OpenAIErrorBody).error.code).toBe("method_not_allowed");

    const unknown = await call("/v1/audio/speech", { method: "POST", json: {} });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as OpenAIErrorBody).error.type).toBe("not_found_error");

    const keyed = makeEnv({ AUTH_DISABLED: "false", API_KEYS: "demo:a-demo-key-of-some-length" });
    const noKey = await complete({ model: "groq/ok:v1-nokey", messages: hi }, keyed);
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await noKey.json()) as OpenAIErrorBody).error).toMatchObject({
      type: "authentication_error",
      code: "invalid_api_key",
    });
  });

  it("shares /chat's rate budget, answering 429 with Retry-After", async () => {
    const env = makeEnv({ RATE_LIMIT_CHAT_PER_MINUTE: "1" });
    const headers = { "x-metrics": "off", "cf-connecting-ip": "203.0.113.77" };
    expect(
      (await call("/chat", { method: "POST", json: { message: "Hi", metrics: "off" }, headers }, env)).status,
    ).toBe(200);
    const limited = await complete({ model: "groq/ok:v1-rate", messages: hi }, env, headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as OpenAIErrorBody).error).toMatchObject({
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
    });
  });
});

describe("content parts on /v1", () => {
  const image = {
    type: "image_url",
    image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
  };
  const looking = [{ role: "user", name: "ada", content: [{ type: "text", text: "What is this?" }, image] }];

  it("passes image parts and names on to an OpenAI-compatible provider as sent, and keeps only the text in history", async () => {
    const key = uniqueKey("v1-image");
    const env = makeEnv();
    const response = await complete({ model: `groq/ok:${key}`, messages: looking }, env, {
      "x-metrics": "off",
    });
    expect(response.status).toBe(200);
    expect((await requestsFor(key)).at(-1)?.messages).toEqual(looking);
    const { neon_nexus } = (await response.json()) as { neon_nexus: { conversationId: string } };
    const stored = await call(`/conversations/${neon_nexus.conversationId}`, {}, env);
    expect(((await stored.json()) as { turns: unknown[] }).turns[0]).toEqual({
      role: "user",
      content: "What is this?",
    });
  });

  it("sends a data: image to Ollama as base64 and refuses a linked one with a 400 naming where it is", async () => {
    const key = uniqueKey("v1-image-ollama");
    const env = makeEnv({ LLM_PROVIDERS: "ollama" });
    const response = await complete({ model: `ollama/ok:${key}`, messages: looking }, env, {
      "x-metrics": "off",
    });
    expect(response.status).toBe(200);
    expect((await requestsFor(key)).at(-1)?.messages).toEqual([
      { role: "user", content: "What is this?", images: ["iVBORw0KGgo="] },
    ]);
    const linked = await complete(
      {
        model: `ollama/ok:${key}`,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "And this?" },
              { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            ],
          },
        ],
      },
      env,
    );
    expect(linked.status).toBe(400);
    expect(((await linked.json()) as OpenAIErrorBody).error).toMatchObject({
      param: "messages.0.content.1.image_url",
      type: "invalid_request_error",
    });
    expect(await requestsFor(key)).toHaveLength(1);
  });
});

describe("GET /v1/models and /v1/models/{model}", () => {
  it("lists the models it could read and names the providers it could not", async () => {
    const env = makeEnv({ LLM_PROVIDERS: "groq,ollama", OLLAMA_URL: "http://127.0.0.1:9" });
    const response = await call("/v1/models", {}, env);
    expect(response.status).toBe(200);
    const list = (await response.json()) as {
      data: Array<{ id: string }>;
      neon_nexus: { unavailable: Array<{ provider: string; error: string }> };
    };
    expect(list.data.map((model) => model.id)).toEqual(["groq/openai/gpt-oss-20b"]);
    expect(list.neon_nexus.unavailable).toEqual([{ provider: "ollama", error: expect.any(String) }]);
  });

  it("answers one model by its id, with or without the provider, and 404 model_not_found for others", async () => {
    const env = makeEnv({ LLM_PROVIDERS: "groq,ollama" });
    for (const id of ["groq%2Fopenai%2Fgpt-oss-20b", "openai%2Fgpt-oss-20b", "ollama%2Fllama3.2%3Alatest"]) {
      const response = await call(`/v1/models/${id}`, {}, env);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        object: "model",
        id: decodeURIComponent(id).replace(/^(?!groq|ollama)/, "groq/"),
      });
    }
    const missing = await call("/v1/models/gpt-5", {}, env);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as OpenAIErrorBody).error).toMatchObject({
      code: "model_not_found",
      param: "model",
    });
  });
});

describe("CORS for the OpenAI surface", () => {
  it("lets a browser send X-Conversation-Id and X-Metrics", async () => {
    const response = await call(
      "/v1/chat/completions",
      {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers":
            "authorization, content-type, x-conversation-id, x-metrics, x-include-metrics",
        },
      },
      makeEnv({ CORS_ORIGINS: "https://app.example" }),
    );
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    expect(allowed).toContain("x-conversation-id");
    expect(allowed).toContain("x-metrics");
    expect(allowed).toContain("x-include-metrics");
  });
});

describe("the OpenAI surface in /openapi.json", () => {
  it("documents both routes, the headers the chat route reads and errors in OpenAI's shape", async () => {
    const document = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/v1/chat/completions", "/v1/models", "/v1/models/{model}"]),
    );
    const parameters = document.paths["/v1/chat/completions"]?.post?.parameters ?? [];
    expect(parameters.map((parameter) => `${parameter.in} ${parameter.name}`)).toEqual([
      "header x-conversation-id",
      "header x-include-metrics",
      "header x-metrics",
    ]);
  });
});
