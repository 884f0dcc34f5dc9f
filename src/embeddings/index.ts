import { createOllamaEmbedder, type OllamaEmbedderOptions } from "./ollama";
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "./openai";
import type { Embedder } from "./types";
import { createWorkersAiEmbedder, type WorkersAiEmbedderOptions } from "./workers-ai";

export * from "./types";
export type { WorkersAiBinding } from "./workers-ai";
export { createOllamaEmbedder, createOpenAIEmbedder, createWorkersAiEmbedder };

export type EmbedderSettings =
  | ({ provider: "ollama" } & OllamaEmbedderOptions)
  | ({ provider: "openai" } & OpenAIEmbedderOptions)
  | ({ provider: "workers-ai" } & WorkersAiEmbedderOptions);

/**
 * The embedder the settings name.
 *
 * @example
 * const embedder = createEmbedder({ provider: "ollama", baseUrl, model: "nomic-embed-text", timeoutMs: 2_000 });
 */
export function createEmbedder(settings: EmbedderSettings): Embedder {
  switch (settings.provider) {
    case "ollama":
      return createOllamaEmbedder(settings);
    case "openai":
      return createOpenAIEmbedder(settings);
    case "workers-ai":
      return createWorkersAiEmbedder(settings);
  }
}
