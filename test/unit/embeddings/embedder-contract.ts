import { describe, expect, it } from "vitest";
import { type Embedder, EmbeddingUnavailableError } from "../../../src/embeddings";

const cosine = (a: number[], b: number[]) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

/** Builds the embedder under test for a model name of the fake server (`ok`, `broken`, `hang-384`, …). */
export type EmbedderFactory = (model: string, timeoutMs?: number) => Embedder;

/**
 * The behaviour every Embedder must show against a server (or binding) playing the fake embedder's scenarios.
 *
 * @example
 * describeEmbedderContract("ollama", () => (model) => createOllamaEmbedder({ baseUrl, model, timeoutMs: 2_000 }));
 */
export function describeEmbedderContract(name: string, getFactory: () => EmbedderFactory): void {
  describe(`Embedder contract: ${name}`, () => {
    const embedder = (model: string, timeoutMs?: number) => getFactory()(model, timeoutMs);

    it("answers one vector per text, in order, all of the model's length", async () => {
      const texts = ["What is the capital of France?", "Bake the bread at 220 degrees", "Hello"];
      const vectors = await embedder("ok-768").embed(texts);
      expect(vectors).toHaveLength(3);
      expect(vectors.every((vector) => vector.length === 768)).toBe(true);
      const [single] = await embedder("ok-768").embed([texts[1] as string]);
      expect(single).toEqual(vectors[1]);
    });

    it("gives a paraphrase a closer vector than an unrelated text", async () => {
      const [question, paraphrase, other] = await embedder("ok").embed([
        "What is the capital of France?",
        "what's the capital city of France",
        "How do I repot an orchid?",
      ]);
      expect(cosine(question ?? [], paraphrase ?? [])).toBeGreaterThan(0.8);
      expect(cosine(question ?? [], other ?? [])).toBeLessThan(0.3);
    });

    it("names its model, so vectors of different models are never compared", () => {
      expect(embedder("ok-384").model).toContain("ok-384");
    });

    for (const [scenario, reason] of [
      ["broken", /^(HTTP 500|binding error)$/],
      ["not-json", /^unexpected response$/],
      ["short", /^unexpected response$/],
      ["hang", /^timeout after 300 ms$/],
    ] as const) {
      it(`reports ${scenario} as unavailable (${reason.source}), never with the server's text`, async () => {
        const failure = await embedder(scenario, 300)
          .embed(["one", "two"])
          .catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(EmbeddingUnavailableError);
        expect((failure as EmbeddingUnavailableError).reason).toMatch(reason);
        expect(String(failure)).not.toContain("llama runner");
      });
    }
  });
}
