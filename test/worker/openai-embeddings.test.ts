import { describe, expect, it } from "vitest";
import { call, fakeEmbedderUrl, makeEnv } from "./support";

const embed = (
  body: Record<string, unknown>,
  env: Record<string, string>,
  headers: Record<string, string> = {},
) => call("/v1/embeddings", { method: "POST", json: body, headers }, env);

/** The fake embedder's own vector for `text` under `model`, asked over its Ollama API. */
async function fakeEmbedding(text: string, model: string): Promise<number[]> {
  const response = await fetch(`${fakeEmbedderUrl()}/api/embed`, {
    method: "POST",
    body: JSON.stringify({ model, input: [text] }),
  });
  return ((await response.json()) as { embeddings: number[][] }).embeddings[0] ?? [];
}

interface EmbeddingList {
  object: string;
  model: string;
  data: Array<{ object: string; index: number; embedding: number[] | string }>;
}
interface ErrorBody {
  error: { code: string | null; param: string | null; type: string };
}

describe("POST /v1/embeddings", () => {
  const ollama = () =>
    makeEnv({ EMBEDDING_PROVIDER: "ollama", EMBEDDING_BASE_URL: fakeEmbedderUrl(), EMBEDDING_MODEL: "ok-8" });
  const openai = () =>
    makeEnv({
      EMBEDDING_PROVIDER: "openai",
      EMBEDDING_BASE_URL: `${fakeEmbedderUrl()}/v1`,
      EMBEDDING_MODEL: "ok",
      EMBEDDING_DIMENSIONS: "16",
    });

  it("embeds each text with the configured embedder, in OpenAI's list shape, without the vector database", async () => {
    const response = await embed(
      { model: "ollama/ok-8", input: ["Hello there", "Paris in spring"] },
      ollama(),
    );
    expect(response.status).toBe(200);
    const list = (await response.json()) as EmbeddingList;
    expect(list).toMatchObject({ object: "list", model: "ollama/ok-8" });
    expect(list.data.map(({ object, index }) => [object, index])).toEqual([
      ["embedding", 0],
      ["embedding", 1],
    ]);
    expect(list.data[0]?.embedding).toEqual(
      (await fakeEmbedding("Hello there", "ok-8")).map((value) => expect.closeTo(value, 6)),
    );
  });

  it("answers base64 as OpenAI does (little-endian float32), through an OpenAI-compatible embedder", async () => {
    const response = await embed({ model: "ok", input: "Hello there", encoding_format: "base64" }, openai());
    const list = (await response.json()) as EmbeddingList;
    expect(list.model).toBe("openai/ok@16");
    const bytes = Uint8Array.from(atob(list.data[0]?.embedding as string), (char) => char.charCodeAt(0));
    const floats = [...new Float32Array(bytes.buffer)];
    expect(floats).toEqual(
      (await fakeEmbedding("Hello there", "ok-16")).map((value) => expect.closeTo(value, 6)),
    );
  });

  it("refuses another model (404 model_not_found), token arrays and other dimensions (400 naming them)", async () => {
    const other = await embed({ model: "text-embedding-3-large", input: "Hi" }, ollama());
    expect(other.status).toBe(404);
    expect(((await other.json()) as ErrorBody).error).toMatchObject({
      code: "model_not_found",
      param: "model",
    });
    const tokens = await embed({ model: "default", input: [[1, 2, 3]] }, ollama());
    expect(tokens.status).toBe(400);
    expect(((await tokens.json()) as ErrorBody).error.param).toBe("input");
    const dimensions = await embed({ model: "default", input: "Hi", dimensions: 64 }, ollama());
    expect(dimensions.status).toBe(400);
    expect(((await dimensions.json()) as ErrorBody).error.param).toBe("dimensions");
  });

  it("is a 503 without an embedder, and when the embedder fails", async () => {
    const none = await embed({ model: "default", input: "Hi" }, makeEnv());
    expect(none.status).toBe(503);
    expect(((await none.json()) as ErrorBody).error.type).toBe("server_error");
    const broken = await embed(
      { model: "default", input: "Hi" },
      makeEnv({
        EMBEDDING_PROVIDER: "ollama",
        EMBEDDING_BASE_URL: fakeEmbedderUrl(),
        EMBEDDING_MODEL: "broken",
      }),
    );
    expect(broken.status).toBe(503);
  });

  it("takes the same API keys as the chat routes", async () => {
    const env = { ...ollama(), AUTH_DISABLED: "false", API_KEYS: "demo:a-demo-key-of-some-length" };
    expect((await embed({ model: "default", input: "Hi" }, env)).status).toBe(401);
    const keyed = await embed({ model: "default", input: "Hi" }, env, {
      authorization: "Bearer a-demo-key-of-some-length",
    });
    expect(keyed.status).toBe(200);
  });
});
