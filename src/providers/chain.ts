import { sleep } from "../lib/abort";
import { ApiError, InvalidParamError, ModelNotFoundError, OpenAICodedError } from "../lib/errors";
import { UpstreamAttempt } from "./attempt";
import { breaker } from "./breaker";
import { errorFromThrown, type ProviderError, TOOLS_UNSUPPORTED } from "./errors";
import { NO_PROVIDER_DETAILS } from "./registry";
import type { Provider } from "./types";

export interface ChainOptions {
  /** Retries per provider after the first try, for 429, 5xx, network errors and timeouts. */
  maxRetries: number;
  /** The whole chain — every try, every backoff, and a stream to its end — fits in this budget. */
  totalMs: number;
  /** How long a tripped provider is skipped (`PROVIDER_BREAKER_COOL_DOWN_MS`); 30 s by default. */
  breakerCoolDownMs?: number;
  /** The client chose the model: an upstream 404 means its model does not exist, a caller error. */
  modelPinned?: boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/** A share shorter than this fraction of the fair one (total ÷ providers) was cut short by earlier providers. */
const STARVED_BELOW = 0.9;

export interface ChainSuccess<T, P extends Provider = Provider> {
  provider: P;
  value: T;
  /** Aborts when the client goes away or the total budget runs out; use it for the rest of a stream. */
  signal: AbortSignal;
  /** Stops the budget's timer once the answer is complete (or the client has it all). */
  release: () => void;
  /** Moves a streamed answer from the chain's deadline to an idle timeout and a maximum duration. */
  streaming: (idleMs: number, maxMs: number) => { dataArrived: () => void };
  failures: ProviderError[];
}

/**
 * Runs `call` against each provider in order: retries retryable failures with exponential backoff and
 * jitter (honouring `retry-after`), falls back to the next provider, and maps the final failure to the
 * API's status (429, 502, 503 or 504). Other 4xx answers are never retried.
 *
 * Budget rules (docs/SECURITY.md, "Provider chain budget"): each provider gets an equal share of the
 * time left when its turn comes (the last one gets all of it); its first-byte wait, its first content
 * (a whole JSON answer, or a stream's first event) and its retries end with its share, so a slow
 * first provider — or one that sends headers and then nothing — cannot starve the fallback. A
 * provider that timed out is not retried: the chain moves on at once. Providers whose circuit
 * breaker is open (or being probed by another request) are skipped, and a timeout counts against a
 * provider's breaker only when it had its fair share of the budget (or its own first-byte limit ran
 * out): a healthy provider starved by earlier ones is not tripped.
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
  const admission = breaker.usable(providers);
  const { usable, skipped } = admission;
  const fairShare = options.totalMs / usable.length;

  try {
    for (const [index, provider] of usable.entries()) {
      const shareStart = Date.now();
      const shareEnd = shareStart + (deadline - shareStart) / (usable.length - index);
      // A provider left less than its fair share because earlier ones used the time is not to blame
      // when that short share runs out.
      const starved = shareEnd - shareStart < fairShare * STARVED_BELOW;
      for (let attempt = 0; ; attempt++) {
        const limits = new UpstreamAttempt(clientSignal, deadline, shareEnd);
        try {
          const pending = call(provider, limits.signal);
          limits.ensureArmed();
          const value = await pending;
          limits.contentArrived();
          breaker.succeeded(provider);
          return {
            provider,
            value,
            signal: limits.signal,
            release: () => limits.release(),
            streaming: (idleMs, maxMs) => {
              limits.streaming(idleMs, maxMs);
              return { dataArrived: () => limits.dataArrived() };
            },
            failures,
          };
        } catch (thrown) {
          limits.release();
          const failure = errorFromThrown(provider.name, thrown, limits.signal);
          if (failure.kind === "aborted" || clientSignal.aborted) throw failure;
          const callerError = asCallerError(failure, options);
          if (callerError) throw callerError;
          // A model that cannot call tools is no fault of its provider: the next one is asked.
          const ownFault =
            failure.upstreamCode !== TOOLS_UNSUPPORTED &&
            !(starved && limits.timedOutBy !== undefined && limits.timedOutBy !== "first_byte");
          if (ownFault) breaker.failed(provider, failure, options.breakerCoolDownMs);
          const wait = backoff(attempt, failure, options);
          const canRetry =
            failure.retryable &&
            failure.kind !== "timeout" &&
            attempt < options.maxRetries &&
            Date.now() + wait < Math.min(shareEnd, deadline);
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
  } finally {
    admission.release();
  }
  const notes = skipped.map((provider) => `${provider.name} skipped: it failed just before (circuit open)`);
  throw toApiError(failures, Date.now() >= deadline, notes);
}

/**
 * An upstream 400 or 422 (bad parameter, context too long), or a 404 for a model the client chose,
 * is the caller's to fix: answered with the same status, not as a provider failure (502), and no
 * other provider is asked to fail the same way.
 */
function asCallerError(failure: ProviderError, options: ChainOptions): ApiError | undefined {
  if (failure.kind !== "client_error" || failure.upstreamCode === TOOLS_UNSUPPORTED) return undefined;
  if (failure.upstreamCode === "context_length_exceeded") {
    return new OpenAICodedError(
      400,
      "invalid_request",
      `The conversation is longer than the model's context: ${failure.message}`,
      "context_length_exceeded",
      "messages",
    );
  }
  if (failure.status === 400 || failure.status === 422) {
    return new ApiError(
      failure.status,
      "invalid_request",
      `The provider refused the request: ${failure.message}`,
    );
  }
  if (failure.status === 404 && options.modelPinned) {
    return new ModelNotFoundError(`The requested model was not found: ${failure.message}`);
  }
  return undefined;
}

function backoff(attempt: number, failure: ProviderError, options: ChainOptions): number {
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 4_000;
  const jitter = 0.5 + (options.random ?? Math.random)() * 0.5;
  const exponential = Math.min(cap, base * 2 ** attempt) * jitter;
  return Math.max(exponential, failure.retryAfterMs ?? 0);
}

function toApiError(failures: readonly ProviderError[], outOfTime: boolean, notes: string[]): ApiError {
  const details =
    [...failures.map((failure) => failure.message), ...notes].join("; ") || "no provider answered";
  if (failures.length > 0 && failures.every((failure) => failure.upstreamCode === TOOLS_UNSUPPORTED)) {
    return new InvalidParamError("tools", `tools: the model cannot call tools here: ${details}`);
  }
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
