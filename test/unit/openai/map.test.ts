import { describe, expect, it } from "vitest";
import { ApiError, InvalidParamError } from "../../../src/lib/errors";
import { openAIChunks } from "../../../src/openai/chunks";
import { toOpenAIErrorBody } from "../../../src/openai/errors";
import {
  invalidParam,
  routeByListing,
  routeByPrefix,
  toChatCompletion,
  toChatRequest,
} from "../../../src/openai/map";
import {
  OpenAIChatCompletionChunkSchema,
  OpenAIChatCompletionSchema,
  OpenAIChatRequestSchema,
  OpenAIErrorSchema,
} from "../../../src/openai/schemas";
import type { ChatResponse } from "../../../src/schemas/chat";

const base = { model: "groq/openai/gpt-oss-20b", messages: [{ role: "user", content: "Hi" }] };
const how = { route: {}, metrics: "sync" as const, maxTokensCap: 4096 };

/** Validates as the route does: a failure is the 400 naming the field. */
function parseChatRequest(value: unknown) {
  const result = OpenAIChatRequestSchema().safeParse(value);
  if (!result.success) throw invalidParam(result.error);
  return result.data;
}

function rejection(run: () => unknown): InvalidParamError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidParamError) return error;
    throw error;
  }
  throw new Error("expected a 400");
}

describe("parsing an OpenAI chat request", () => {
  it("reads string and array-of-text content, developer turns and ignores unknown fields", () => {
    const body = parseChatRequest({
      ...base,
      messages: [
        { role: "developer", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Hello" },
            { type: "text", text: "there" },
          ],
        },
      ],
      n: 1,
      logit_bias: { "50256": -100 },
      store: false,
      stop: null,
    });
    const { request } = toChatRequest(body, how);
    expect(request).toMatchObject({
      message: "Hello\nthere",
      context: [{ role: "system", content: "Be brief." }],
      metrics: "sync",
      stream: false,
    });
  });

  it("refuses n other than 1, naming the field", () => {
    const error = rejection(() => parseChatRequest({ ...base, n: 2 }));
    expect(error.status).toBe(400);
    expect(error.param).toBe("n");
    expect(error.details).toContain("only n=1 is supported");
  });

  it("refuses a non-text content part outside user messages, naming where it is", () => {
    const error = rejection(() =>
      parseChatRequest({
        ...base,
        messages: [
          { role: "system", content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }] },
          { role: "user", content: "Hi" },
        ],
      }),
    );
    expect(error.param).toBe("messages.0.content.0");
    expect(error.details).toContain("only text parts");
  });

  it("refuses a part type it does not know, and a malformed image, naming where they are", () => {
    const audio = rejection(() =>
      parseChatRequest({
        ...base,
        messages: [{ role: "user", content: [{ type: "text", text: "Hi" }, { type: "input_audio" }] }],
      }),
    );
    expect(audio.param).toBe("messages.0.content.1");
    expect(audio.details).toContain("only text and image_url parts");
    const image = rejection(() =>
      parseChatRequest({
        ...base,
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] }],
      }),
    );
    expect(image.param).toBe("messages.0.content.0.image_url.url");
  });

  it("keeps a user message's parts when it has images, its text joined as the message", () => {
    const parts = [
      { type: "text" as const, text: "What is this?" },
      { type: "image_url" as const, image_url: { url: "data:image/png;base64,AAAA" } },
    ];
    const body = parseChatRequest({ ...base, messages: [{ role: "user", content: parts, name: "ada" }] });
    const mapped = toChatRequest(body, how);
    expect(mapped.request.message).toBe("What is this?");
    expect(mapped.turns).toEqual([{ role: "user", content: "What is this?", parts, name: "ada" }]);
  });

  it("refuses a conversation whose last turn is not the user's", () => {
    const body = parseChatRequest({ ...base, messages: [{ role: "assistant", content: "Hello" }] });
    expect(rejection(() => toChatRequest(body, how)).param).toBe("messages");
  });

  it("caps the token budget, prefers max_completion_tokens and passes the sampling options on", () => {
    const body = parseChatRequest({
      ...base,
      max_tokens: 10,
      max_completion_tokens: 9_000,
      temperature: 0.2,
      top_p: 0.9,
      stop: "END",
      seed: 7,
      user: "u-1",
      response_format: { type: "json_object" },
      stream: true,
      stream_options: { include_usage: true },
    });
    const mapped = toChatRequest(body, { ...how, conversationId: "conv-1", metrics: "off" });
    expect(mapped.request).toMatchObject({
      maxTokens: 4096,
      temperature: 0.2,
      conversationId: "conv-1",
      stream: true,
      metrics: "off",
    });
    expect(mapped.options).toEqual({
      topP: 0.9,
      stop: ["END"],
      seed: 7,
      user: "u-1",
      responseFormat: { type: "json_object" },
    });
    expect(mapped.includeUsage).toBe(true);
  });

  it("maps tools, tool_choice and parallel_tool_calls to the chat's options", () => {
    const tools = [
      { type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } },
    ];
    const body = parseChatRequest({ ...base, tools, tool_choice: "required", parallel_tool_calls: true });
    expect(toChatRequest(body, how).options).toEqual({
      tools,
      toolChoice: "required",
      parallelToolCalls: true,
    });
  });

  it("refuses tool_choice without tools, naming it", () => {
    const body = parseChatRequest({ ...base, tool_choice: "required" });
    expect(rejection(() => toChatRequest(body, how)).param).toBe("tool_choice");
  });

  it("takes the trailing tool results as the new turns, after the assistant's calls", () => {
    const call = { id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } };
    const body = parseChatRequest({
      ...base,
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: "call_1", content: [{ type: "text", text: "sunny" }] },
      ],
    });
    const mapped = toChatRequest(body, how);
    expect(mapped.turns).toEqual([{ role: "tool", content: "sunny", toolCallId: "call_1" }]);
    expect(mapped.request.context).toEqual([
      { role: "user", content: "Weather?" },
      { role: "assistant", content: "", toolCalls: [call] },
    ]);
  });

  it("checks the 32,000-character cap on the joined text parts, naming the message", () => {
    const part = { type: "text", text: "x".repeat(20_000) };
    const body = parseChatRequest({
      ...base,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [part, part] },
      ],
    });
    const error = rejection(() => toChatRequest(body, how));
    expect(error.param).toBe("messages.1.content");
    expect(error.details).toContain("at most 32000 characters");
  });

  it("treats response_format text as no format at all", () => {
    const body = parseChatRequest({ ...base, response_format: { type: "text" } });
    expect(toChatRequest(body, how).options).toEqual({});
  });
});

describe("choosing a provider from the model", () => {
  it("routes <provider>/<model> for a configured provider and keeps the rest as the model id", () => {
    expect(routeByPrefix("groq/openai/gpt-oss-20b", ["groq", "ollama"])).toEqual({
      provider: "groq",
      model: "openai/gpt-oss-20b",
    });
    expect(routeByPrefix("ollama/llama3.2", ["groq", "ollama"])).toEqual({
      provider: "ollama",
      model: "llama3.2",
    });
  });

  it("does not read a model id's own slash as a provider that is not configured", () => {
    expect(routeByPrefix("openai/gpt-oss-20b", ["groq"])).toBeUndefined();
    expect(routeByPrefix("gpt-4o-mini", ["groq"])).toBeUndefined();
  });

  it("finds a bare id in the providers' listing, Ollama's implicit :latest included", () => {
    const listing = [
      { id: "openai/gpt-oss-20b", provider: "groq" as const },
      { id: "llama3.2:latest", provider: "ollama" as const },
    ];
    expect(routeByListing("openai/gpt-oss-20b", listing)).toEqual({
      provider: "groq",
      model: "openai/gpt-oss-20b",
    });
    expect(routeByListing("llama3.2", listing)).toEqual({ provider: "ollama", model: "llama3.2:latest" });
    expect(routeByListing("gpt-4o", listing)).toBeUndefined();
  });
});

const answer: ChatResponse = {
  id: "msg_1",
  message: "Hello from the fake model.",
  metrics: null,
  metricsStatus: "off",
  conversationId: "conv_1",
  provider: "groq",
  model: "openai/gpt-oss-20b",
  usage: { promptTokens: 12, completionTokens: 6, totalTokens: 18 },
  timings: { totalMs: 5, providerMs: 4, analysisMs: null },
};

describe("answering in OpenAI's shape", () => {
  it("answers a chat.completion carrying the metrics and ids under neon_nexus", () => {
    const completion = toChatCompletion(
      answer,
      { finishReason: "length", systemFingerprint: "fp_abc" },
      1_716_131_679_500,
    );
    expect(OpenAIChatCompletionSchema().parse(completion)).toEqual(completion);
    expect(completion).toMatchObject({
      id: "chatcmpl-msg_1",
      created: 1_716_131_679,
      model: "groq/openai/gpt-oss-20b",
      system_fingerprint: "fp_abc",
      choices: [{ message: { content: "Hello from the fake model." }, finish_reason: "length" }],
      usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
      neon_nexus: { messageId: "msg_1", conversationId: "conv_1", provider: "groq", metricsStatus: "off" },
    });
  });

  it("streams chunks that end in finish, metrics and usage chunks, then [DONE], when both are asked for", () => {
    const chunks = openAIChunks(
      { id: "msg_1", provider: "groq", model: "openai/gpt-oss-20b", startedAt: 1_000 },
      { includeUsage: true, includeMetrics: true },
    );
    const text = [
      chunks.start(),
      chunks.delta("Hello"),
      chunks.delta(" there"),
      ...chunks.done(answer, { finishReason: null, systemFingerprint: "fp_abc" }),
    ];
    expect(text.every((event) => event.startsWith("data: ") && event.endsWith("\n\n"))).toBe(true);
    expect(text.at(-1)).toBe("data: [DONE]\n\n");
    const parsed = text
      .slice(0, -1)
      .map((event) => OpenAIChatCompletionChunkSchema().parse(JSON.parse(event.slice(6))));
    expect(new Set(parsed.map((chunk) => chunk.id))).toEqual(new Set(["chatcmpl-msg_1"]));
    expect(parsed.map((chunk) => chunk.choices[0]?.delta.content ?? null)).toEqual([
      "",
      "Hello",
      " there",
      null,
      null,
      null,
    ]);
    expect(parsed[3]?.choices[0]?.finish_reason).toBe("stop");
    expect(parsed[4]).toMatchObject({
      choices: [],
      neon_nexus: { messageId: "msg_1", metricsStatus: "off" },
    });
    expect(parsed[5]).toMatchObject({ choices: [], usage: { total_tokens: 18 } });
    // With include_usage every other chunk says `usage: null`, as OpenAI's do.
    expect(parsed.slice(0, 5).map((chunk) => chunk.usage)).toEqual([null, null, null, null, null]);
    expect(parsed.map((chunk) => chunk.system_fingerprint)).toEqual([
      null,
      null,
      null,
      "fp_abc",
      "fp_abc",
      "fp_abc",
    ]);
  });

  it("sends no extension chunk (empty choices) unless the client asks for metrics", () => {
    const chunks = openAIChunks(
      { id: "m", provider: "groq", model: "x", startedAt: 0 },
      { includeUsage: false, includeMetrics: false },
    );
    expect(chunks.partial({ messageId: "m", words: 20, partial: true, metrics: {} as never })).toBe("");
    const events = chunks.done(answer, { finishReason: "stop" });
    expect(events).toHaveLength(2);
    expect(events.some((event) => event.includes("neon_nexus"))).toBe(false);
  });

  it("leaves the usage chunk out unless it was asked for", () => {
    const chunks = openAIChunks(
      { id: "m", provider: "groq", model: "x", startedAt: 0 },
      { includeUsage: false, includeMetrics: true },
    );
    const events = chunks.done(answer, { finishReason: "stop" });
    expect(events).toHaveLength(3);
    expect(events.some((event) => event.includes('"usage"'))).toBe(false);
  });

  it("turns errors into OpenAI's error object with the same code and the field at fault", () => {
    const limited = toOpenAIErrorBody(new ApiError(429, "rate_limited", "Over 2 chat requests a minute"));
    expect(OpenAIErrorSchema().parse(limited)).toEqual({
      error: {
        message: "Over 2 chat requests a minute",
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
        param: null,
      },
    });
    expect(toOpenAIErrorBody(new InvalidParamError("n", "n: only n=1 is supported")).error).toMatchObject({
      type: "invalid_request_error",
      param: "n",
    });
    expect(toOpenAIErrorBody(new ApiError(401, "unauthorized", "Send an API key")).error.type).toBe(
      "authentication_error",
    );
    expect(toOpenAIErrorBody(new ApiError(504, "provider_timeout", "slow")).error.type).toBe("server_error");
  });
});
