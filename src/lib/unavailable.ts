/**
 * A part the worker can do without (cache, vector store, embeddings) could not be reached in time or
 * answered something unusable. Callers skip the feature; `reason` is short and never holds a secret.
 */
export class PartUnavailableError extends Error {
  /** e.g. `timeout after 500 ms`, `HTTP 500`, `connection refused`. */
  readonly reason: string;
  constructor(part: string, reason: string, options?: ErrorOptions) {
    super(`${part} unavailable: ${reason}`, options);
    this.reason = reason;
  }
}
