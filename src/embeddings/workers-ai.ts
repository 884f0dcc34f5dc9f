import * as z from "zod";
import { withDeadline } from "../lib/deadline";
import { lazy } from "../lib/lazy";
import { checkVectors } from "./http";
import { type Embedder, EmbeddingUnavailableError } from "./types";

/** What the text-embedding models of Workers AI answer, e.g. `@cf/baai/bge-base-en-v1.5`. */
export const WorkersAiEmbeddingSchema = lazy(() =>
  z.object({
    shape: z.array(z.number().int()).optional(),
    data: z.array(z.array(z.number())),
  }),
);

/** The part of the `[ai]` binding this embedder calls. */
export interface WorkersAiBinding {
  run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

export interface WorkersAiEmbedderOptions {
  binding: WorkersAiBinding;
  /** e.g. `@cf/baai/bge-base-en-v1.5` (768 dimensions) */
  model: string;
  timeoutMs: number;
}

/**
 * Embeddings from the Workers AI binding (deployed workers; `wrangler dev` proxies it to the account).
 *
 * @example
 * const embedder = createWorkersAiEmbedder({ binding: env.AI, model: "@cf/baai/bge-base-en-v1.5", timeoutMs: 2_000 });
 */
export function createWorkersAiEmbedder({ binding, model, timeoutMs }: WorkersAiEmbedderOptions): Embedder {
  return {
    provider: "workers-ai",
    model,
    async embed(texts) {
      let answer: unknown;
      try {
        answer = await withDeadline(
          binding.run(model, { text: [...texts] }),
          timeoutMs,
          () => new EmbeddingUnavailableError(`timeout after ${timeoutMs} ms`),
        );
      } catch (error) {
        if (error instanceof EmbeddingUnavailableError) throw error;
        throw new EmbeddingUnavailableError("binding error", { cause: error });
      }
      const parsed = WorkersAiEmbeddingSchema().safeParse(answer);
      if (!parsed.success) throw new EmbeddingUnavailableError("unexpected response");
      return checkVectors(parsed.data.data, texts.length);
    },
  };
}
