import { parseRetryAfter } from "../lib/retry-after";

export type ProviderFailureKind =
  | "rate_limited"
  | "server_error"
  | "client_error"
  | "network_error"
  | "timeout"
  | "bad_response"
  | "aborted";

const RETRYABLE: ReadonlySet<ProviderFailureKind> = new Set([
  "rate_limited",
  "server_error",
  "network_error",
  "timeout",
]);

/**
 * A provider call that failed, classified so the chain can decide to retry, fall back or give up.
 * `message` is ours, never the upstream body verbatim (it can name upstream accounts).
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** The upstream's own error code, when it is a safe one (`context_length_exceeded`). */
    readonly upstreamCode?: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** The code of a provider's answer that the model asked for cannot call tools. */
export const TOOLS_UNSUPPORTED = "tools_unsupported";

/** Upstream error codes worth passing on: short, machine-readable, no account details. */
function safeCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  const code =
    typeof error === "object" && error !== null ? (error as { code?: unknown; type?: unknown }) : undefined;
  const value = code?.code ?? code?.type;
  if (typeof value === "string" && /^[a-z0-9_]{1,64}$/.test(value)) return value;
  // Ollama says it in words: `{"error": "… exceeds the context length …"}`, `"… does not support tools"`.
  const text = typeof error === "string" ? error : undefined;
  if (text && /context length|context window/i.test(text)) return "context_length_exceeded";
  return text && /does not support tools/i.test(text) ? TOOLS_UNSUPPORTED : undefined;
}

/** Turns a non-2xx upstream response into a classified {@link ProviderError}. */
export async function errorFromResponse(provider: string, response: Response): Promise<ProviderError> {
  const body: unknown = await response.json().catch(() => undefined);
  const code = safeCode(body);
  const what = `${provider} answered HTTP ${response.status}${code ? ` (${code})` : ""}`;
  if (response.status === 429) {
    return new ProviderError("rate_limited", what, 429, parseRetryAfter(response.headers.get("retry-after")));
  }
  if (response.status === 408) return new ProviderError("timeout", what, 408);
  if (response.status >= 500) return new ProviderError("server_error", what, response.status);
  return new ProviderError("client_error", what, response.status, undefined, code);
}

/** Classifies a thrown fetch/stream failure; `signal` tells a timeout from a client abort. */
export function errorFromThrown(provider: string, error: unknown, signal: AbortSignal): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof DOMException && reason.name === "TimeoutError";
    return timedOut
      ? new ProviderError("timeout", `${provider} did not answer in time`)
      : new ProviderError("aborted", `${provider} call was cancelled`);
  }
  return new ProviderError("network_error", `${provider} could not be reached`);
}
