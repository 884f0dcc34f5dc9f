import { describe, expect, it } from "vitest";
import { call, makeEnv, requestsFor, uniqueKey } from "./support";

const complete = (body: Record<string, unknown>, env = makeEnv(), headers: Record<string, string> = {}) =>
  call("/v1/chat/completions", { method: "POST", json: body, headers }, env);

const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const time = {
  type: "function",
  function: { name: "get_time", parameters: { type: "object", properties: { city: { type: "string" } } } },
};
const ask = [{ role: "user", content: "Weather in Paris?" }];

interface ToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}
interface Completion {
  model: string;
  choices: Array<{ message: { content: string | null; tool_calls?: ToolCall[] }; finish_reason: string }>;
  neon_nexus: {
    conversationId: string;
    metricsStatus: string;
    metricsReason?: string;
    metrics: { human_likeness_score: number } | null;
  };
}
interface Chunk {
  choices: Array<{
    delta: {
      content?: string;
      tool_calls?: Array<{
        index: number;
        id?: string;
        type?: string;
        function: { name?: string; arguments: string };
      }>;
    };
    finish_reason: string | null;
  }>;
}

/** The `data:` chunks of an OpenAI stream, without `[DONE]`. */
async function chunksOf(response: Response): Promise<Chunk[]> {
  const text = await response.text();
  expect(text.trim().endsWith("data: [DONE]")).toBe(true);
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("data: {"))
    .map((block) => JSON.parse(block.slice(6)) as Chunk);
}

/** Tool-call deltas of a stream, in order. */
const toolDeltas = (chunks: Chunk[]) => chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);

describe("tool calls through /v1 to Groq (OpenAI's format, as is)", () => {
  it("passes tools, tool_choice and parallel_tool_calls on and answers the calls with finish_reason tool_calls", async () => {
    const key = uniqueKey("tools-json");
    const response = await complete({
      model: `groq/tools:${key}`,
      messages: ask,
      tools: [weather],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    expect(response.status).toBe(200);
    const completion = (await response.json()) as Completion;
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        content: null,
        tool_calls: [
          {
            id: "call_fake_0",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
    });
    expect(completion.neon_nexus).toMatchObject({
      metricsStatus: "skipped",
      metricsReason: "the reply has no text, only tool calls",
      metrics: null,
    });
    expect((await requestsFor(key)).at(-1)).toMatchObject({
      tools: [weather],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
  });

  it("streams each call's id, type and name in its first delta and relays argument fragments as they come", async () => {
    const key = uniqueKey("tools-stream");
    const response = await complete({
      model: `groq/tools-parallel:${key}`,
      messages: ask,
      tools: [weather, time],
      stream: true,
    });
    const chunks = await chunksOf(response);
    const deltas = toolDeltas(chunks);
    for (const index of [0, 1]) {
      const ofCall = deltas.filter((delta) => delta.index === index);
      expect(ofCall[0]).toMatchObject({ index, id: `call_fake_${index}`, type: "function" });
      expect(ofCall.slice(1).every((delta) => delta.id === undefined)).toBe(true);
      // Not collapsed into one burst: the fake sends four characters a chunk.
      expect(ofCall.length).toBeGreaterThan(3);
    }
    const argumentsOf = (index: number) =>
      deltas
        .filter((delta) => delta.index === index)
        .map((delta) => delta.function.arguments)
        .join("");
    expect(deltas.find((delta) => delta.index === 0)?.function.name).toBe("get_weather");
    expect(deltas.find((delta) => delta.index === 1)?.function.name).toBe("get_time");
    expect(JSON.parse(argumentsOf(0))).toEqual({ city: "Paris" });
    expect(JSON.parse(argumentsOf(1))).toEqual({ city: "Tokyo" });
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(
      "tool_calls",
    );
    expect((chunks.at(-1) as { system_fingerprint?: string }).system_fingerprint).toBe("fp_fake");
  });

  it("replays the assistant's calls and the tool results to the provider, and scores the final text", async () => {
    const key = uniqueKey("tools-round");
    const env = makeEnv();
    const first = (await (
      await complete({ model: `groq/tools:${key}`, messages: ask, tools: [weather] }, env)
    ).json()) as Completion;
    const conversationId = first.neon_nexus.conversationId;
    const assistant = first.choices[0]?.message;
    const followUp = [
      ...ask,
      { role: "assistant", content: null, tool_calls: assistant?.tool_calls },
      { role: "tool", tool_call_id: "call_fake_0", content: "22 degrees and sunny" },
    ];
    const second = await complete({ model: `groq/tools:${key}`, messages: followUp, tools: [weather] }, env, {
      "x-conversation-id": conversationId,
    });
    expect(second.status).toBe(200);
    const answer = (await second.json()) as Completion;
    expect(answer.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: "The tool said: 22 degrees and sunny" },
    });
    expect(answer.neon_nexus.metricsStatus).toBe("ready");
    // The whole conversation was resent: it goes upstream once, not after the stored history again.
    expect((await requestsFor(key)).at(-1)?.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: assistant?.tool_calls },
      { role: "tool", content: "22 degrees and sunny", tool_call_id: "call_fake_0" },
    ]);
    const stored = (await (await call(`/conversations/${conversationId}`, {}, env)).json()) as {
      turns: unknown[];
    };
    expect(stored.turns).toEqual([
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: "", toolCalls: assistant?.tool_calls },
      { role: "tool", content: "22 degrees and sunny", toolCallId: "call_fake_0" },
      { role: "assistant", content: "The tool said: 22 degrees and sunny" },
    ]);
  });

  it("refuses a tool_choice naming a tool that was not given, naming the parameter", async () => {
    const response = await complete({
      model: "groq/tools:tools-bad-choice",
      messages: ask,
      tools: [weather],
      tool_choice: { type: "function", function: { name: "get_time" } },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: "tool_choice", code: "invalid_request" } });
  });

  it("refuses a tool message without tool_call_id, naming where it is", async () => {
    const response = await complete({
      model: "groq/tools:tools-bad-tool",
      messages: [...ask, { role: "tool", content: "22 degrees" }],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: "messages.1.tool_call_id" } });
  });
});

describe("tool calls through /v1 to Ollama (its native format)", () => {
  it("falls back past a model that Ollama says cannot call tools, without tripping its breaker", async () => {
    const key = uniqueKey("tools-unsupported");
    const env = makeEnv({
      LLM_PROVIDERS: "ollama,groq",
      OLLAMA_MODEL: `no-tools:${key}`,
      GROQ_MODEL: `tools:${key}`,
    });
    const answered = await complete({ model: "default", messages: ask, tools: [weather] }, env);
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as Completion).choices[0]?.finish_reason).toBe("tool_calls");
    expect((await requestsFor(key)).map((body) => body.model)).toEqual([`no-tools:${key}`, `tools:${key}`]);

    const alone = makeEnv({ LLM_PROVIDERS: "ollama", OLLAMA_MODEL: `no-tools:${key}` });
    const refused = await complete({ model: "default", messages: ask, tools: [weather] }, alone);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("tools");
    // Not the provider's fault: the same model still answers without tools.
    expect((await complete({ model: "default", messages: ask }, alone)).status).toBe(200);
  });

  const ollama = makeEnv({ LLM_PROVIDERS: "ollama" });

  it("sends the tools natively and answers Ollama's calls with ids and JSON-text arguments", async () => {
    const key = uniqueKey("tools-ollama");
    const response = await complete(
      { model: `ollama/tools-parallel:${key}`, messages: ask, tools: [weather, time] },
      ollama,
    );
    const completion = (await response.json()) as Completion;
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(
      calls.map((toolCall) => [toolCall.function.name, JSON.parse(toolCall.function.arguments)]),
    ).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_time", { city: "Tokyo" }],
    ]);
    expect(calls.every((toolCall) => /^call_\w+$/.test(toolCall.id))).toBe(true);
    expect(new Set(calls.map((toolCall) => toolCall.id)).size).toBe(2);
    const sent = (await requestsFor(key)).at(-1);
    expect(sent?.tools).toEqual([
      { type: "function", function: weather.function },
      { type: "function", function: time.function },
    ]);
  });

  it("streams Ollama's whole calls as deltas that each carry an id, type and name", async () => {
    const response = await complete(
      {
        model: `ollama/tools:${uniqueKey("tools-ollama-stream")}`,
        messages: ask,
        tools: [weather],
        stream: true,
      },
      ollama,
    );
    const chunks = await chunksOf(response);
    expect(toolDeltas(chunks)).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_\w+$/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(
      "tool_calls",
    );
  });

  it("replays calls with arguments as objects and results with the tool's name", async () => {
    const key = uniqueKey("tools-ollama-round");
    const response = await complete(
      {
        model: `ollama/tools:${key}`,
        messages: [
          ...ask,
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "get_weather", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "22 degrees" },
        ],
        tools: [weather],
      },
      ollama,
    );
    expect(((await response.json()) as Completion).choices[0]?.message.content).toBe(
      "The tool said: 22 degrees",
    );
    expect((await requestsFor(key)).at(-1)?.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }],
      },
      { role: "tool", content: "22 degrees", tool_name: "get_weather" },
    ]);
  });

  it("refuses tool_choice required for Ollama alone with a 400 naming it, and skips Ollama when another provider can", async () => {
    const refused = await complete(
      { model: "ollama/tools:tools-required", messages: ask, tools: [weather], tool_choice: "required" },
      ollama,
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { param: "tool_choice", type: "invalid_request_error" },
    });

    const key = uniqueKey("tools-fallback");
    const chain = makeEnv({
      LLM_PROVIDERS: "ollama,groq",
      OLLAMA_MODEL: `tools:${key}`,
      GROQ_MODEL: `tools:${key}`,
    });
    const answered = await complete(
      { model: "default", messages: ask, tools: [weather], tool_choice: "required" },
      chain,
    );
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as Completion).model).toBe(`groq/tools:${key}`);
    expect(await requestsFor(key)).toHaveLength(1);
  });
});
