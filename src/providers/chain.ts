import { sleep } from "../lib/abort";
import { ApiError } from "../lib/errors";
import { UpstreamAttempt } from "./attempt";
import { errorFromThrown, type ProviderError } from "./errors";
import { NO_PROVIDER_DETAILS } from "./registry";
import type { Provider } from "./types";

export interface ChainOptions {
  /** Retries per provider after the first try, for 429, 5xx, network errors and timeouts. */
  maxRetries: number;
  /** The whole chain — every try, every backoff, and a stream to its end — fits in this budget. */
  totalMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export interface ChainSuccess<T, P extends Provider = Provider> {
  provider: P;
  value: T;
  /** Aborts when the client goes away or the total budget runs out; use it for the rest of a stream. */
  signal: AbortSignal;
  /** Stops the budget's timer once the answer is complete (or the client has it all). */
  release: () => void;
  failures: ProviderError[];
}

/**
 * Runs `call` against each provider in order: retries retryable failures with exponential backoff and
 * jitter (honouring `retry-after`), falls back to the next provider, and maps the final failure to the
 * API's status (429, 502, 503 or 504). Other 4xx answers are never retried.
 *
 * @example
 * const { provider, value } = await runChain(providers, (p, signal) => p.complete(request, signal),
 *   { maxRetries: 2, totalMs: 60_000 }, c.req.raw.signal);
 */
export async function runChain<T, P extends Provider>(
  providers: readonly P[],
  call: (provider: P, signal: AbortSignal) => Promise<T>,
  options: ChainOptions,
  clientSignal: AbortSignal,
): Promise<ChainSuccess<T, P>> {
  if (providers.length === 0) throw new ApiError(503, "provider_unavailable", NO_PROVIDER_DETAILS);
  const deadline = Date.now() + options.totalMs;
  const stopped = () => clientSignal.aborted || Date.now() >= deadline;
  const failures: ProviderError[] = [];

  for (const provider of providers) {
    for (let attempt = 0; ; attempt++) {
      const limits = new UpstreamAttempt(clientSignal, deadline);
      try {
        const pending = call(provider, limits.signal);
        limits.ensureArmed();
        const value = await pending;
        return { provider, value, signal: limits.signal, release: () => limits.release(), failures };
      } catch (thrown) {
        limits.release();
        const failure = errorFromThrown(provider.name, thrown, limits.signal);
        if (failure.kind === "aborted" || clientSignal.aborted) throw failure;
        const wait = backoff(attempt, failure, options);
        const canRetry = failure.retryable && attempt < options.maxRetries && Date.now() + wait < deadline;
        if (!canRetry) {
          failures.push(failure);
          break;
        }
        await sleep(wait, clientSignal);
      }
      if (stopped()) break;
    }
    if (stopped()) break;
  }
  throw toApiError(failures, Date.now() >= deadline);
}

function backoff(attempt: number, failure: ProviderError, options: ChainOptions): number {
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 4_000;
  const jitter = 0.5 + (options.random ?? Math.random)() * 0.5;
  const exponential = Math.min(cap, base * 2 ** attempt) * jitter;
  return Math.max(exponential, failure.retryAfterMs ?? 0);
}

function toApiError(failures: readonly ProviderError[], outOfTime: boolean): ApiError {
  const details = failures.map((failure) => failure.message).join("; ") || "no provider answered";
  const kinds = new Set(failures.map((failure) => failure.kind));
  const only = (...allowed: ProviderError["kind"][]) => [...kinds].every((kind) => allowed.includes(kind));
  if (failures.length > 0 && only("rate_limited")) {
    const waits = failures
      .map((failure) => failure.retryAfterMs)
      .filter((ms): ms is number => ms !== undefined);
    const seconds = Math.max(1, Math.ceil((waits.length > 0 ? Math.min(...waits) : 1_000) / 1000));
    return new ApiError(429, "rate_limited", `Every provider is rate limited: ${details}`, {
      "Retry-After": String(seconds),
    });
  }
  if (outOfTime || (kinds.has("timeout") && only("timeout", "network_error"))) {
    return new ApiError(504, "provider_timeout", `The model did not answer in time: ${details}`);
  }
  if (failures.length > 0 && only("network_error")) {
    return new ApiError(503, "provider_unavailable", `No provider could be reached: ${details}`);
  }
  return new ApiError(502, "provider_error", `Every provider failed: ${details}`);
}
