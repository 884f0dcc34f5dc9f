import { PartUnavailableError } from "../lib/unavailable";

/** Thrown by every embedder when its server cannot be reached in time or answers something unusable. */
export class EmbeddingUnavailableError extends PartUnavailableError {
  override readonly name = "EmbeddingUnavailableError";
  constructor(reason: string, options?: ErrorOptions) {
    super("Embeddings", reason, options);
  }
}

/** Turns texts into vectors with one model. */
export interface Embedder {
  /** `ollama`, `openai` or `workers-ai`. */
  readonly provider: string;
  /** The model name stored beside each vector: vectors of different models are never compared. */
  readonly model: string;
  /** One vector per text, in the order given, all of one length. One request. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
