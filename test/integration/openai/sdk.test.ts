import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeEmbedder, startFakeEmbedder } from "../../helpers/fake-embedder";
import { type FakeLlm, startFakeLlm } from "../../helpers/fake-llm";
import { startWranglerDev, type WranglerDevServer } from "../../helpers/wrangler";

/**
 * The OpenAI surface as existing code meets it: the official `openai` SDK and the Vercel AI SDK's
 * OpenAI-compatible provider, unchanged but for the base URL and key, against a real `wrangler dev`
 * in front of fake Groq and Ollama servers.
 */
const API_KEY = "sdk-test-key-0123456789abcdef";
let llm: FakeLlm;
let embedder: FakeEmbedder;
let worker: WranglerDevServer;

beforeAll(async () => {
  llm = await startFakeLlm();
  embedder = await startFakeEmbedder();
  worker = await startWranglerDev({
    vars: {
      API_KEYS: `sdk:${API_KEY}`,
      LLM_PROVIDERS: "groq,ollama",
      GROQ_API_KEY: "gsk_sdk_test_key_000000000000",
      GROQ_BASE_URL: llm.groqBaseUrl,
      GROQ_MODEL: "ok:sdk-default",
      OLLAMA_URL: llm.url,
      PROVIDER_MAX_RETRIES: "0",
      EMBEDDING_PROVIDER: "ollama",
      EMBEDDING_BASE_URL: embedder.url,
      EMBEDDING_MODEL: "ok-8",
      SSE_KEEPALIVE_MS: "300",
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([worker?.stop(), llm?.close(), embedder?.close()]);
});

const client = (options: { apiKey?: string; maxRetries?: number } = {}) =>
  new OpenAI({
    baseURL: `${worker.url}/v1`,
    apiKey: options.apiKey ?? API_KEY,
    maxRetries: options.maxRetries ?? 0,
  });

const callsOf = async (key: string) =>
  (await (await fetch(`${llm.url}/__calls/${key}`)).json()) as { calls: number };
/** The last chat request the fake upstream got under `key`. */
const lastRequest = async (key: string) => {
  const bodies = (await (await fetch(`${llm.url}/__requests/${key}`)).json()) as Array<{
    messages: Array<{ role: string; content: string }>;
  }>;
  return bodies.at(-1);
};

interface Extension {
  messageId: string;
  conversationId: string;
  provider: string;
  metricsStatus: string;
  metrics: { human_likeness_score: number; source: string } | null;
}
const extensionOf = (value: object) => (value as { neon_nexus?: Extension }).neon_nexus;

describe("the openai SDK", () => {
  it("creates a completion with the reply, usage and metrics under neon_nexus", async () => {
    const completion = await client().chat.completions.create({
      model: "groq/ok:sdk-json",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello there" },
      ],
      temperature: 0.3,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("groq/ok:sdk-json");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "Hello from the fake model.",
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
    expect(completion.system_fingerprint).toBe("fp_fake");
    expect(extensionOf(completion)).toMatchObject({ provider: "groq", metricsStatus: "ready" });
    expect(extensionOf(completion)?.metrics?.source).toBe("local");
    const sent = await lastRequest("sdk-json");
    expect(sent?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello there" },
    ]);
  });

  it("streams every delta, then the metrics chunk (asked for with X-Include-Metrics) and the usage chunk", async () => {
    const stream = await client().chat.completions.create(
      {
        model: "groq/ok:sdk-stream",
        messages: [{ role: "user", content: "Hi" }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { "X-Include-Metrics": "true" } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello from the fake model.");
    expect(chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "")).toHaveLength(6);
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("stop");
    const metricsChunk = chunks.find((chunk) => extensionOf(chunk));
    expect(metricsChunk?.choices).toEqual([]);
    expect(extensionOf(metricsChunk ?? {})).toMatchObject({ metricsStatus: "ready", provider: "groq" });
    expect(extensionOf(metricsChunk ?? {})?.metrics?.human_likeness_score).toEqual(expect.any(Number));
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 18 } });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.created).toBeGreaterThan(1_700_000_000);
  });

  it("streams chunks that each have a choice, for code that reads chunk.choices[0], unless metrics are asked for", async () => {
    const stream = await client().chat.completions.create({
      model: "groq/ok:sdk-plain-stream",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) {
      const [choice] = chunk.choices;
      if (!choice) throw new Error("a chunk without a choice");
      text += choice.delta.content ?? "";
    }
    expect(text).toBe("Hello from the fake model.");
  });

  it("lists the models of every configured provider", async () => {
    const ids = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["groq/openai/gpt-oss-20b", "ollama/llama3.2:latest"]));
  });

  it("creates embeddings with the configured embedder (the SDK asks for base64 and decodes it)", async () => {
    const result = await client().embeddings.create({
      model: "ollama/ok-8",
      input: ["Hello there", "Paris"],
    });
    expect(result.model).toBe("ollama/ok-8");
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    const own = await fetch(`${embedder.url}/api/embed`, {
      method: "POST",
      body: JSON.stringify({ model: "ok-8", input: ["Hello there"] }),
    });
    const [expected = []] = ((await own.json()) as { embeddings: number[][] }).embeddings;
    expect(result.data[0]?.embedding).toEqual(expected.map((value) => expect.closeTo(value, 6)));
  });

  it("retrieves one model by its id, slashes and all", async () => {
    const model = await client().models.retrieve("groq/openai/gpt-oss-20b");
    expect(model).toMatchObject({ id: "groq/openai/gpt-oss-20b", object: "model", owned_by: "groq" });
  });

  it("routes a bare model id to the provider that lists it", async () => {
    const completion = await client().chat.completions.create(
      { model: "llama3.2", messages: [{ role: "user", content: "Hi" }] },
      { headers: { "X-Metrics": "off" } },
    );
    expect(extensionOf(completion)).toMatchObject({
      provider: "ollama",
      metricsStatus: "off",
      metrics: null,
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from the fake model.");
  });

  it("raises RateLimitError with the retry-after header when every provider is rate limited", async () => {
    const error = await client()
      .chat.completions.create({
        model: "groq/rate-limit-always:sdk-429",
        messages: [{ role: "user", content: "Hi" }],
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).headers.get("retry-after")).toBe("2");
    expect((error as RateLimitError).code).toBe("rate_limit_exceeded");
  });

  it("waits as long as retry-after says before retrying, and then succeeds", async () => {
    // The upstream refuses for one second; the SDK's own backoff (about half a second) would be refused again.
    const completion = await client({ maxRetries: 1 }).chat.completions.create({
      model: "groq/rate-limit-for-1s:sdk-retry",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from the fake model.");
    expect((await callsOf("sdk-retry")).calls).toBe(2);
  });

  it("raises NotFoundError with model_not_found for a model no provider lists", async () => {
    const error = await client()
      .chat.completions.create({ model: "gpt-5-turbo-ultra", messages: [{ role: "user", content: "Hi" }] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "model_not_found", param: "model" });
  });

  it("raises BadRequestError with context_length_exceeded when the provider says the conversation is too long", async () => {
    const error = await client()
      .chat.completions.create({
        model: "groq/context-too-long:sdk-context",
        messages: [{ role: "user", content: "Hi" }],
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: "context_length_exceeded", param: "messages" });
  });

  it("takes array content in every role, and refuses an image link for Ollama naming where it is", async () => {
    const completion = await client().chat.completions.create({
      model: "groq/ok:sdk-parts",
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Hello" },
            { type: "text", text: "there" },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from the fake model.");
    const error = await client()
      .chat.completions.create({
        model: "ollama/ok:sdk-image",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
            ],
          },
        ],
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("messages.0.content.1.image_url");
  });

  it("raises AuthenticationError for a wrong key", async () => {
    const error = await client({ apiKey: "not-the-right-key-000000" })
      .chat.completions.create({ model: "groq/ok:sdk-auth", messages: [{ role: "user", content: "Hi" }] })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("invalid_api_key");
    expect((await callsOf("sdk-auth")).calls).toBe(0);
  });

  it("raises BadRequestError naming the field for a request it cannot serve", async () => {
    const error = await client()
      .chat.completions.create({
        model: "groq/ok:sdk-bad",
        n: 2,
        messages: [{ role: "user", content: "Hi" }],
      })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe("n");
    expect((error as BadRequestError).message).toContain("only n=1 is supported");
  });

  it("continues a conversation on the server when X-Conversation-Id is sent, and is stateless without it", async () => {
    const openai = client();
    const first = await openai.chat.completions.create({
      model: "groq/ok:sdk-conversation",
      messages: [{ role: "user", content: "My name is Ada." }],
    });
    const conversationId = extensionOf(first)?.conversationId ?? "";
    expect(conversationId).not.toBe("");

    await openai.chat.completions.create(
      { model: "groq/ok:sdk-conversation", messages: [{ role: "user", content: "What is my name?" }] },
      { headers: { "X-Conversation-Id": conversationId } },
    );
    expect((await lastRequest("sdk-conversation"))?.messages).toEqual([
      { role: "user", content: "My name is Ada." },
      { role: "assistant", content: "Hello from the fake model." },
      { role: "user", content: "What is my name?" },
    ]);

    await openai.chat.completions.create({
      model: "groq/ok:sdk-conversation",
      messages: [{ role: "user", content: "What is my name?" }],
    });
    expect((await lastRequest("sdk-conversation"))?.messages).toEqual([
      { role: "user", content: "What is my name?" },
    ]);
  });
});

const weatherParameters = {
  type: "object" as const,
  properties: { city: { type: "string" as const } },
  required: ["city"],
  additionalProperties: false,
};
const weatherIn = (city: string) => `${city}: 22 degrees and sunny`;

describe("tool calling with the openai SDK", () => {
  const runWeatherLoop = (model: string, headers: Record<string, string> = {}) => {
    const called: string[] = [];
    const runner = client().chat.completions.runTools(
      {
        model,
        messages: [{ role: "user", content: "What is the weather in Paris?" }],
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "The weather in a city",
              parameters: weatherParameters,
              parse: (text: string) => JSON.parse(text) as { city: string },
              function: ({ city }: { city: string }) => {
                called.push(city);
                return weatherIn(city);
              },
            },
          },
        ],
      },
      { headers },
    );
    return { runner, called };
  };

  it("runs a whole tool loop (call → tool result → answer) against Groq", async () => {
    const { runner, called } = runWeatherLoop("groq/tools:sdk-tool-loop");
    expect(await runner.finalContent()).toBe(`The tool said: ${weatherIn("Paris")}`);
    expect(called).toEqual(["Paris"]);
    const [first, second] = (await (await fetch(`${llm.url}/__requests/sdk-tool-loop`)).json()) as Array<{
      messages: unknown[];
      tools: unknown[];
    }>;
    expect(first?.tools).toHaveLength(1);
    expect(second?.messages).toEqual([
      { role: "user", content: "What is the weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_fake_0",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", content: weatherIn("Paris"), tool_call_id: "call_fake_0" },
    ]);
  });

  it("runs the same loop against Ollama, whose calls come without ids", async () => {
    const { runner, called } = runWeatherLoop("ollama/tools:sdk-tool-ollama");
    expect(await runner.finalContent()).toBe(`The tool said: ${weatherIn("Paris")}`);
    expect(called).toEqual(["Paris"]);
    const bodies = (await (await fetch(`${llm.url}/__requests/sdk-tool-ollama`)).json()) as Array<{
      messages: unknown[];
    }>;
    expect(bodies.at(-1)?.messages?.at(-1)).toEqual({
      role: "tool",
      content: weatherIn("Paris"),
      tool_name: "get_weather",
    });
  });

  it("keeps a tool loop on the server under X-Conversation-Id without sending the resent history twice", async () => {
    const first = await client().chat.completions.create({
      model: "groq/ok:sdk-tool-conversation",
      messages: [{ role: "user", content: "Hello" }],
    });
    const conversationId = extensionOf(first)?.conversationId ?? "";
    const { runner } = runWeatherLoop("groq/tools:sdk-tool-conversation", {
      "X-Conversation-Id": conversationId,
    });
    await runner.finalContent();
    const sent = (await lastRequest("sdk-tool-conversation"))?.messages ?? [];
    expect(sent.map((message) => message.role)).toEqual(["user", "assistant", "user", "assistant", "tool"]);
  });

  it("streams parallel tool calls that the SDK's stream helper puts together", async () => {
    const stream = client().chat.completions.stream({
      model: "groq/tools-parallel:sdk-tool-stream",
      messages: [{ role: "user", content: "Weather in Paris and Tokyo?" }],
      tools: [
        { type: "function", function: { name: "get_weather", parameters: weatherParameters } },
        { type: "function", function: { name: "get_time", parameters: weatherParameters } },
      ],
      parallel_tool_calls: true,
    });
    const argumentDeltas: string[] = [];
    stream.on("tool_calls.function.arguments.delta", (event) => argumentDeltas.push(event.arguments_delta));
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(
      calls.map(
        (call) =>
          call.type === "function" && [call.id, call.function.name, JSON.parse(call.function.arguments)],
      ),
    ).toEqual([
      ["call_fake_0", "get_weather", { city: "Paris" }],
      ["call_fake_1", "get_time", { city: "Tokyo" }],
    ]);
    expect(argumentDeltas.length).toBeGreaterThan(4);
  });
});

describe("the same fake reply through /chat and /v1/chat/completions", () => {
  it("has the same text and the same metrics", async () => {
    const chat = await fetch(`${worker.url}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ message: "Hi", provider: "groq", model: "ok:sdk-same" }),
    });
    expect(chat.status).toBe(200);
    const native = (await chat.json()) as { message: string; metrics: unknown };
    const completion = await client().chat.completions.create({
      model: "groq/ok:sdk-same",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe(native.message);
    expect(extensionOf(completion)?.metrics).toEqual(native.metrics);
  });
});

describe("the Vercel AI SDK's OpenAI-compatible provider", () => {
  const provider = () =>
    createOpenAICompatible({
      name: "neon-nexus",
      baseURL: `${worker.url}/v1`,
      apiKey: API_KEY,
      includeUsage: true,
    });

  it("generates text", async () => {
    const result = await generateText({ model: provider()("groq/ok:ai-json"), prompt: "Hi", maxRetries: 0 });
    expect(result.text).toBe("Hello from the fake model.");
    expect(result.usage.totalTokens).toBe(18);
  });

  const weather = () =>
    tool({
      description: "The weather in a city",
      inputSchema: jsonSchema<{ city: string }>(weatherParameters),
      execute: async ({ city }) => weatherIn(city),
    });

  it("generates text in several steps with a tool", async () => {
    const result = await generateText({
      model: provider()("groq/tools:ai-tools"),
      prompt: "Weather in Paris?",
      tools: { get_weather: weather() },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls.map((call) => [call.toolName, call.input])).toEqual([
      ["get_weather", { city: "Paris" }],
    ]);
    expect(result.text).toBe(`The tool said: ${weatherIn("Paris")}`);
  });

  it("streams text in several steps with a tool, against Ollama", async () => {
    const result = streamText({
      model: provider()("ollama/tools:ai-tools-stream"),
      prompt: "Weather in Paris?",
      tools: { get_weather: weather() },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]?.toolResults.map((toolResult) => toolResult.output)).toEqual([weatherIn("Paris")]);
    expect(text).toBe(`The tool said: ${weatherIn("Paris")}`);
  });

  it("streams text", async () => {
    const result = streamText({ model: provider()("groq/ok:ai-stream"), prompt: "Hi", maxRetries: 0 });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Hello from the fake model.");
    expect((await result.usage).totalTokens).toBe(18);
  });
});
