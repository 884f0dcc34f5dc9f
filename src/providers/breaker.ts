import type { ProviderError } from "./errors";
import type { Provider } from "./types";

/** After this many failures in a row a provider is skipped; a first-byte timeout counts as all of them. */
export const BREAKER_FAILURES = 3;
/** How long a tripped provider is skipped before one request probes it again (`PROVIDER_BREAKER_COOL_DOWN_MS`). */
export const BREAKER_COOL_DOWN_MS = 30_000;

interface BreakerState {
  failures: number;
  /** Skipped until then (epoch ms); 0 while closed. */
  openUntil: number;
  /** The cool-down it was tripped for: also how long a probe's claim lasts if it never reports back. */
  coolDownMs: number;
  /** The request probing a half-open provider, and when its claim lapses if it never reports back. */
  probe: { owner: object; until: number } | undefined;
}

const states = new WeakMap<Provider, BreakerState>();

const stateOf = (provider: Provider): BreakerState => {
  let state = states.get(provider);
  if (!state) {
    state = { failures: 0, openUntil: 0, coolDownMs: BREAKER_COOL_DOWN_MS, probe: undefined };
    states.set(provider, state);
  }
  return state;
};

/** The providers one chain may try, and the probes it claimed (released with {@link release}). */
export interface Admission<P extends Provider> {
  usable: P[];
  skipped: P[];
  /** Gives back the probes this chain claimed but did not settle (it ended before trying them). */
  release(): void;
}

/**
 * A per-isolate circuit breaker per provider. A provider that hangs (first-byte timeout) or fails
 * {@link BREAKER_FAILURES} times in a row (5xx, network error, unreadable answer) is skipped for a
 * cool-down; after that it is half-open: **one** request at a time probes it (the others keep
 * skipping it until the probe reports back), and one more failure skips it for another cool-down.
 * Answers that are the caller's fault (4xx) or a rate limit do not count. When every provider is
 * tripped, all are tried anyway: a slim chance beats a certain 503.
 */
export const breaker = {
  /** The providers to try now, in order: the tripped ones (and those being probed) left out unless all are. */
  usable<P extends Provider>(providers: readonly P[], now = Date.now()): Admission<P> {
    const owner = {};
    const claimed: P[] = [];
    const usable = providers.filter((provider) => {
      const state = stateOf(provider);
      if (state.openUntil === 0) return true;
      if (state.openUntil > now) return false;
      if (state.probe && state.probe.until > now) return false;
      state.probe = { owner, until: now + state.coolDownMs };
      claimed.push(provider);
      return true;
    });
    const release = () => {
      for (const provider of claimed) {
        const state = stateOf(provider);
        if (state.probe?.owner === owner) state.probe = undefined;
      }
    };
    if (usable.length === 0) return { usable: [...providers], skipped: [], release };
    return { usable, skipped: providers.filter((provider) => !usable.includes(provider)), release };
  },

  succeeded(provider: Provider): void {
    const state = stateOf(provider);
    state.failures = 0;
    state.openUntil = 0;
    state.probe = undefined;
  },

  /** Counts a failure against `provider`; `coolDownMs` is how long a trip skips it. */
  failed(
    provider: Provider,
    failure: ProviderError,
    coolDownMs = BREAKER_COOL_DOWN_MS,
    now = Date.now(),
  ): void {
    if (!TRIPPING.has(failure.kind)) return;
    const state = stateOf(provider);
    const probing = state.openUntil !== 0;
    state.failures = failure.kind === "timeout" ? BREAKER_FAILURES : state.failures + 1;
    if (probing || state.failures >= BREAKER_FAILURES) {
      state.openUntil = now + coolDownMs;
      state.coolDownMs = coolDownMs;
    }
    state.probe = undefined;
  },
};

const TRIPPING: ReadonlySet<ProviderError["kind"]> = new Set([
  "timeout",
  "server_error",
  "network_error",
  "bad_response",
]);
