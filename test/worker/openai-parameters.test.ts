import { describe, expect, it } from "vitest";
import { call, fakeLlmUrl, makeEnv, openAIChunks, requestsFor, uniqueKey } from "./support";

/**
 * Every OpenAI sampling and output parameter either reaches the provider (in its own words) or is
 * refused with a 400 naming it: none is dropped on the way.
 */
const complete = (body: Record<string, unknown>, env: Record<string, string>) =>
  call("/v1/chat/completions", { method: "POST", json: body, headers: { "x-metrics": "off" } }, env);
const hi = [{ role: "user", content: "Hi" }];
const compat = () => makeEnv({ LLM_PROVIDERS: "openai", OPENAI_BASE_URL: `${fakeLlmUrl()}/compat/v1` });

interface Completion {
  choices: Array<{ logprobs: { content: Array<{ token: string; logprob: number }> } | null }>;
}
interface ErrorBody {
  error: { param: string | null; code: string | null; type: string };
}

describe("parameters through /v1", () => {
  it("passes logprobs, top_logprobs, logit_bias and reasoning_effort to an OpenAI-compatible server and relays the logprobs", async () => {
    const key = uniqueKey("v1-logprobs");
    const response = await complete(
      {
        model: `openai/ok:${key}`,
        messages: hi,
        logprobs: true,
        top_logprobs: 2,
        logit_bias: { "50256": -100 },
        reasoning_effort: "low",
      },
      compat(),
    );
    expect(response.status).toBe(200);
    const completion = (await response.json()) as Completion;
    expect(completion.choices[0]?.logprobs?.content.map((token) => token.token).join("")).toBe(
      "Hello from the fake model.",
    );
    expect((await requestsFor(key)).at(-1)).toMatchObject({
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { "50256": -100 },
      reasoning_effort: "low",
    });
  });

  it("relays streamed logprobs on each content chunk", async () => {
    const response = await complete(
      { model: `openai/ok:${uniqueKey("v1-logprobs-stream")}`, messages: hi, logprobs: true, stream: true },
      compat(),
    );
    const chunks = await openAIChunks<{ choices: Array<{ delta: { content?: string }; logprobs: unknown }> }>(
      response,
    );
    const content = chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "");
    expect(content).toHaveLength(6);
    for (const chunk of content) {
      expect(chunk.choices[0]?.logprobs).toEqual({
        content: [expect.objectContaining({ token: chunk.choices[0]?.delta.content, logprob: -0.25 })],
      });
    }
  });

  it("refuses what Groq takes but does not honour, naming the parameter, and passes reasoning_effort", async () => {
    for (const [param, value] of [
      ["logprobs", true],
      ["logit_bias", { "50256": -100 }],
    ] as const) {
      const response = await complete(
        { model: "groq/ok:v1-groq-refuses", messages: hi, [param]: value },
        makeEnv(),
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({
        param,
        type: "invalid_request_error",
      });
    }
    const key = uniqueKey("v1-groq-effort");
    expect(
      (await complete({ model: `groq/ok:${key}`, messages: hi, reasoning_effort: "high" }, makeEnv())).status,
    ).toBe(200);
    expect((await requestsFor(key)).at(-1)).toMatchObject({ reasoning_effort: "high" });
  });

  it("maps logprobs and reasoning_effort to Ollama's own fields and refuses logit_bias", async () => {
    const ollama = makeEnv({ LLM_PROVIDERS: "ollama" });
    const key = uniqueKey("v1-ollama-params");
    const response = await complete(
      { model: `ollama/ok:${key}`, messages: hi, logprobs: true, top_logprobs: 3, reasoning_effort: "none" },
      ollama,
    );
    const completion = (await response.json()) as Completion;
    expect(completion.choices[0]?.logprobs?.content).toHaveLength(6);
    expect((await requestsFor(key)).at(-1)).toMatchObject({ logprobs: true, top_logprobs: 3, think: false });

    const biased = await complete(
      { model: `ollama/ok:${key}`, messages: hi, logit_bias: { "1": 5 } },
      ollama,
    );
    expect(biased.status).toBe(400);
    expect(((await biased.json()) as ErrorBody).error.param).toBe("logit_bias");
    const minimal = await complete(
      { model: `ollama/ok:${key}`, messages: hi, reasoning_effort: "minimal" },
      ollama,
    );
    expect(((await minimal.json()) as ErrorBody).error.param).toBe("reasoning_effort");
  });

  it("refuses top_logprobs without logprobs, naming it", async () => {
    const response = await complete({ model: "groq/ok:v1-top", messages: hi, top_logprobs: 2 }, makeEnv());
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.param).toBe("top_logprobs");
  });
});
