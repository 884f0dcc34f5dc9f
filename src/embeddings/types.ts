/** Thrown by every embedder when its server cannot be reached in time or answers something unusable. */
export class EmbeddingUnavailableError extends Error {
  /** Short, secret-free cause, e.g. `timeout after 2000 ms`, `HTTP 500`, `unexpected response`. */
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super(`Embeddings unavailable: ${reason}`, options);
    this.name = "EmbeddingUnavailableError";
    this.reason = reason;
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
