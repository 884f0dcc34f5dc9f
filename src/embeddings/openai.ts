import * as z from "zod";
import { lazy } from "../lib/lazy";
import { checkVectors, postForEmbeddings } from "./http";
import type { Embedder } from "./types";

/** The OpenAI `POST /v1/embeddings` answer (the fields we read). */
export const OpenAIEmbeddingsResponseSchema = lazy(() =>
  z.object({
    object: z.literal("list"),
    data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
    model: z.string().optional(),
  }),
);

export interface OpenAIEmbedderOptions {
  /** Up to and including the version, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** e.g. `text-embedding-3-small` */
  model: string;
  /** Ask for shorter vectors (models that support it), e.g. 768. */
  dimensions?: number;
  timeoutMs: number;
}

/**
 * Embeddings from any OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, LM Studio, Ollama's `/v1`).
 *
 * @example
 * const embedder = createOpenAIEmbedder({ baseUrl: "https://api.openai.com/v1", apiKey, model: "text-embedding-3-small", timeoutMs: 2_000 });
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { baseUrl, apiKey, model, dimensions, timeoutMs } = options;
  return {
    provider: "openai",
    model: dimensions ? `${model}@${dimensions}` : model,
    async embed(texts) {
      const answer = await postForEmbeddings({
        url: `${baseUrl}/embeddings`,
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        body: { model, input: texts, encoding_format: "float", ...(dimensions ? { dimensions } : {}) },
        timeoutMs,
        schema: OpenAIEmbeddingsResponseSchema(),
      });
      const ordered = [...answer.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
      return checkVectors(ordered, texts.length);
    },
  };
}
