import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoProvider, startDemoProvider } from "../../../scripts/dev/demo-provider";
import { startWranglerDev, type WranglerDevServer } from "../../helpers/wrangler";

/**
 * The README's tool-calling example as a newcomer runs it on a fresh clone: no key, `npm run dev`'s
 * demo provider behind a real `wrangler dev`, the official SDK's tool runner driving the loop.
 */
let demo: DemoProvider;
let worker: WranglerDevServer;

beforeAll(async () => {
  demo = await startDemoProvider({ host: "127.0.0.1", wordDelayMs: 0 });
  worker = await startWranglerDev({
    vars: { AUTH_DISABLED: "true", LLM_PROVIDERS: "groq,ollama,openai", DEMO_PROVIDER_URL: demo.url },
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([worker?.stop(), demo?.close()]);
});

const weatherLoop = (stream: boolean) => {
  const called: string[] = [];
  const openai = new OpenAI({ baseURL: `${worker.url}/v1`, apiKey: "unused", maxRetries: 0 });
  const request = {
    model: "default",
    messages: [{ role: "user" as const, content: "What is the weather in Paris?" }],
    tools: [
      {
        type: "function" as const,
        function: {
          name: "get_weather",
          description: "The weather in a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          parse: (text: string) => JSON.parse(text) as { city: string },
          function: ({ city }: { city: string }) => {
            called.push(city);
            return `${city}: 22 degrees and sunny`;
          },
        },
      },
    ],
  };
  const runner = stream
    ? openai.chat.completions.runTools({ ...request, stream: true })
    : openai.chat.completions.runTools(request);
  return { runner, called };
};

describe("the demo provider with tools", () => {
  for (const stream of [false, true]) {
    it(`calls the offered tool with an argument from the question, then answers with its result (${stream ? "streamed" : "JSON"})`, async () => {
      const { runner, called } = weatherLoop(stream);
      const answer = await runner.finalContent();
      expect(called).toEqual(["Paris"]);
      expect(answer).toContain("Paris: 22 degrees and sunny");
      const [, call] = runner.messages;
      expect(call).toMatchObject({
        role: "assistant",
        tool_calls: [{ type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      });
    }, 60_000);
  }

  it("answers with a canned text when the caller says tool_choice none", async () => {
    const openai = new OpenAI({ baseURL: `${worker.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const answer = await openai.chat.completions.create({
      model: "default",
      messages: [{ role: "user", content: "What is the weather in Paris?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
      tool_choice: "none",
    });
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect(answer.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(answer.choices[0]?.message.content?.length).toBeGreaterThan(40);
  }, 30_000);
});
