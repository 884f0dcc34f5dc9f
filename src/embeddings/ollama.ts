import * as z from "zod";
import { lazy } from "../lib/lazy";
import { checkVectors, postForEmbeddings } from "./http";
import type { Embedder } from "./types";

/** Ollama's `POST /api/embed` answer (the fields we read). */
export const OllamaEmbedResponseSchema = lazy(() =>
  z.object({
    model: z.string().optional(),
    embeddings: z.array(z.array(z.number())),
  }),
);

export interface OllamaEmbedderOptions {
  /** e.g. `http://127.0.0.1:11434` */
  baseUrl: string;
  /** e.g. `nomic-embed-text` */
  model: string;
  timeoutMs: number;
}

/**
 * Embeddings from Ollama's native `/api/embed` (every text in one request, vectors L2-normalised by Ollama).
 *
 * @example
 * const embedder = createOllamaEmbedder({ baseUrl: "http://127.0.0.1:11434", model: "nomic-embed-text", timeoutMs: 2_000 });
 * const [vector] = await embedder.embed(["What is the meaning of life?"]);
 */
export function createOllamaEmbedder({ baseUrl, model, timeoutMs }: OllamaEmbedderOptions): Embedder {
  return {
    provider: "ollama",
    model,
    async embed(texts) {
      const answer = await postForEmbeddings({
        url: `${baseUrl}/api/embed`,
        body: { model, input: texts, truncate: true },
        timeoutMs,
        schema: OllamaEmbedResponseSchema(),
      });
      return checkVectors(answer.embeddings, texts.length);
    },
  };
}
