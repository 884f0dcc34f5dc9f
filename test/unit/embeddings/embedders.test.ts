import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmbedder,
  createOllamaEmbedder,
  createOpenAIEmbedder,
  createWorkersAiEmbedder,
  type WorkersAiBinding,
} from "../../../src/embeddings";
import {
  type FakeEmbedder,
  fakeEmbedding,
  parseFakeModel,
  startFakeEmbedder,
} from "../../helpers/fake-embedder";
import { describeEmbedderContract } from "./embedder-contract";

let fake: FakeEmbedder;
beforeAll(async () => {
  fake = await startFakeEmbedder();
});
afterAll(() => fake.close());

describeEmbedderContract(
  "Ollama /api/embed",
  () =>
    (model, timeoutMs = 2_000) =>
      createOllamaEmbedder({ baseUrl: fake.url, model, timeoutMs }),
);

describeEmbedderContract(
  "OpenAI-compatible /v1/embeddings",
  () =>
    (model, timeoutMs = 2_000) =>
      createOpenAIEmbedder({
        baseUrl: fake.openaiBaseUrl,
        apiKey: "sk-test-embeddings-key",
        model,
        timeoutMs,
      }),
);

/**
 * The `[ai]` binding answers the documented shape of Workers AI text-embedding models; this one
 * computes it with the fake server's function and plays the same scenarios.
 */
const workersAi: WorkersAiBinding = {
  async run(model, { text }) {
    const { scenario, dimensions } = parseFakeModel(model);
    if (scenario === "broken") throw new Error("AiError: 3010: upstream failure");
    if (scenario === "hang") return new Promise(() => {});
    if (scenario === "not-json") return "<html>oops</html>";
    const data = text.map((item) => fakeEmbedding(item, dimensions));
    if (scenario === "short") data.pop();
    return { shape: [data.length, dimensions], data, pooling: "cls" };
  },
};

describeEmbedderContract(
  "Workers AI binding",
  () =>
    (model, timeoutMs = 2_000) =>
      createWorkersAiEmbedder({ binding: workersAi, model, timeoutMs }),
);

describe("OpenAI-compatible embeddings", () => {
  it("asks for shorter vectors when told to, and names the length in its model", async () => {
    const embedder = createEmbedder({
      provider: "openai",
      baseUrl: fake.openaiBaseUrl,
      model: "ok",
      dimensions: 256,
      timeoutMs: 2_000,
    });
    const [vector] = await embedder.embed(["short vectors please"]);
    expect(vector).toHaveLength(256);
    expect(embedder.model).toBe("ok@256");
  });
});

describe("the fake embedding server", () => {
  it("counts requests and texts, so a test can tell how many embedding calls a chat made", async () => {
    const before = (await (await fetch(`${fake.url}/__calls`)).json()) as { calls: number; texts: number };
    await createOllamaEmbedder({ baseUrl: fake.url, model: "ok", timeoutMs: 2_000 }).embed(["a", "b"]);
    const after = (await (await fetch(`${fake.url}/__calls`)).json()) as { calls: number; texts: number };
    expect(after).toEqual({ calls: before.calls + 1, texts: before.texts + 2 });
  });
});
