import * as z from "zod";
import type { Embedder } from "../embeddings";
import { ApiError, InvalidParamError, ModelNotFoundError } from "../lib/errors";
import { lazy } from "../lib/lazy";
import { PartUnavailableError } from "../lib/unavailable";
import { ModelIdSchema, TEXT_LIMIT } from "./schemas";

/** OpenAI's `POST /v1/embeddings` request, as far as the configured embedder can serve it. */
export const OpenAIEmbeddingRequestSchema = lazy(() =>
  z
    .object({
      model: ModelIdSchema().meta({
        description:
          "The configured embedding model: its id, `<provider>/<id>` (as in the answer), or `default`",
        examples: ["ollama/nomic-embed-text"],
      }),
      input: z
        .union(
          [z.string().min(1).max(TEXT_LIMIT), z.array(z.string().min(1).max(TEXT_LIMIT)).min(1).max(256)],
          {
            error: "input must be a text or an array of texts (token arrays are not supported)",
          },
        )
        .meta({ description: "A text or up to 256 texts of at most 32,000 characters each" }),
      encoding_format: z.enum(["float", "base64"]).nullish(),
      dimensions: z.number().int().min(1).nullish().meta({
        description:
          "Must equal the configured model's (EMBEDDING_DIMENSIONS); it is not changed per request",
      }),
      user: z.string().max(256).nullish(),
    })
    .meta({ id: "OpenAIEmbeddingRequest" }),
);
export type OpenAIEmbeddingRequest = z.infer<ReturnType<typeof OpenAIEmbeddingRequestSchema>>;

export const OpenAIEmbeddingListSchema = lazy(() =>
  z
    .object({
      object: z.literal("list"),
      data: z.array(
        z.object({
          object: z.literal("embedding"),
          index: z.number().int(),
          embedding: z.union([z.array(z.number()), z.string()]).meta({
            description: "Floats, or with encoding_format base64 their little-endian float32 bytes",
          }),
        }),
      ),
      model: z.string().meta({ description: "`<provider>/<model>` that embedded" }),
    })
    .meta({
      id: "OpenAIEmbeddingList",
      description: "Without `usage`: the embedders do not all report tokens, and none is made up",
    }),
);
export type OpenAIEmbeddingList = z.infer<ReturnType<typeof OpenAIEmbeddingListSchema>>;

/**
 * Embeds the request's texts with the configured embedder and answers in OpenAI's shape. No
 * embedder is a 503; another model is a 404 `model_not_found`; an embedder that fails is a 503
 * with its short reason.
 *
 * @example
 * const list = await embedForOpenAI(services.embedder, { model: "default", input: ["Hello"] });
 */
export async function embedForOpenAI(
  embedder: Embedder | undefined,
  request: OpenAIEmbeddingRequest,
): Promise<OpenAIEmbeddingList> {
  if (!embedder) {
    throw new ApiError(503, "service_unavailable", "No embedder is configured here (EMBEDDING_PROVIDER)");
  }
  const name = `${embedder.provider}/${embedder.model}`;
  // An OpenAI-compatible model with set dimensions is stored as `<model>@<dimensions>`: its own id names it too.
  const base = embedder.model.replace(/@\d+$/, "");
  if (![embedder.model, name, base, `${embedder.provider}/${base}`, "default"].includes(request.model)) {
    throw new ModelNotFoundError(`model: "${request.model}" is not the embedding model here; use "${name}"`);
  }
  const texts = typeof request.input === "string" ? [request.input] : request.input;
  let vectors: number[][];
  try {
    vectors = await embedder.embed(texts);
  } catch (error) {
    if (!(error instanceof PartUnavailableError)) throw error;
    throw new ApiError(503, "service_unavailable", `The embedder could not answer: ${error.reason}`);
  }
  const length = vectors[0]?.length;
  if (request.dimensions != null && request.dimensions !== length) {
    throw new InvalidParamError(
      "dimensions",
      `dimensions: the model here answers ${length} dimensions (set EMBEDDING_DIMENSIONS to change it)`,
    );
  }
  const base64 = request.encoding_format === "base64";
  return {
    object: "list",
    data: vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? toBase64(vector) : vector,
    })),
    model: name,
  };
}

/** A vector as OpenAI's base64 encoding: its float32 values, little-endian. */
function toBase64(vector: readonly number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
