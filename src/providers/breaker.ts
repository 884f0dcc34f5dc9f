import type { ProviderError } from "./errors";
import type { Provider } from "./types";

/** After this many failures in a row a provider is skipped; a first-byte timeout counts as all of them. */
export const BREAKER_FAILURES = 3;
/** How long a tripped provider is skipped before one request probes it again. */
export const BREAKER_COOL_DOWN_MS = 30_000;

interface BreakerState {
  failures: number;
  /** Skipped until then (epoch ms); 0 while closed. */
  openUntil: number;
}

const states = new WeakMap<Provider, BreakerState>();

const stateOf = (provider: Provider): BreakerState => {
  let state = states.get(provider);
  if (!state) {
    state = { failures: 0, openUntil: 0 };
    states.set(provider, state);
  }
  return state;
};

/**
 * A per-isolate circuit breaker per provider. A provider that hangs (first-byte timeout) or fails
 * {@link BREAKER_FAILURES} times in a row (5xx, network error, unreadable answer) is skipped for
 * {@link BREAKER_COOL_DOWN_MS}; after that the next request tries it again, and one more failure
 * skips it for another cool-down. Answers that are the caller's fault (4xx) or a rate limit do not
 * count. When every provider is tripped, all are tried anyway: a slim chance beats a certain 503.
 */
export const breaker = {
  /** The providers to try now, in order: the tripped ones left out unless all are. */
  usable<P extends Provider>(providers: readonly P[], now = Date.now()): { usable: P[]; skipped: P[] } {
    const usable = providers.filter((provider) => stateOf(provider).openUntil <= now);
    if (usable.length === 0) return { usable: [...providers], skipped: [] };
    return { usable, skipped: providers.filter((provider) => !usable.includes(provider)) };
  },

  succeeded(provider: Provider): void {
    const state = stateOf(provider);
    state.failures = 0;
    state.openUntil = 0;
  },

  failed(provider: Provider, failure: ProviderError, now = Date.now()): void {
    if (!TRIPPING.has(failure.kind)) return;
    const state = stateOf(provider);
    const probing = state.openUntil !== 0;
    state.failures = failure.kind === "timeout" ? BREAKER_FAILURES : state.failures + 1;
    if (probing || state.failures >= BREAKER_FAILURES) state.openUntil = now + BREAKER_COOL_DOWN_MS;
  },
};

const TRIPPING: ReadonlySet<ProviderError["kind"]> = new Set([
  "timeout",
  "server_error",
  "network_error",
  "bad_response",
]);
