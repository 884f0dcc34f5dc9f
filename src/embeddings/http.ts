import type * as z from "zod";
import { EmbeddingUnavailableError } from "./types";

export interface EmbeddingRequest<T> {
  url: string;
  headers?: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  schema: z.ZodType<T>;
}

/**
 * POSTs one JSON request to an embedding server and validates the answer; every failure (timeout,
 * network, non-2xx, a body that does not fit `schema`) becomes an {@link EmbeddingUnavailableError}
 * whose reason never carries the URL, a key or the server's error text.
 */
export async function postForEmbeddings<T>({
  url,
  headers,
  body,
  timeoutMs,
  schema,
}: EmbeddingRequest<T>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const reason =
      name === "TimeoutError" || name === "AbortError" ? `timeout after ${timeoutMs} ms` : "network error";
    throw new EmbeddingUnavailableError(reason, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new EmbeddingUnavailableError(`HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new EmbeddingUnavailableError("unexpected response");
  return parsed.data;
}

/** Checks there is one finite vector per text and that all have one length. */
export function checkVectors(vectors: number[][], count: number): number[][] {
  const length = vectors[0]?.length ?? 0;
  const usable =
    vectors.length === count &&
    length > 0 &&
    vectors.every((vector) => vector.length === length && vector.every(Number.isFinite));
  if (!usable) throw new EmbeddingUnavailableError("unexpected response");
  return vectors;
}
