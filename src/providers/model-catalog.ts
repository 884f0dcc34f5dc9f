import type { Provider } from "./types";

/** How long a provider's model list is trusted. */
export const MODEL_LIST_CACHE_MS = 60_000;
/** A model list that failed is asked for again after this long. */
const FAILED_LIST_CACHE_MS = 10_000;
const LIST_TIMEOUT_MS = 5_000;

interface Listing {
  at: number;
  ttlMs: number;
  models: Promise<string[]>;
}

const listings = new WeakMap<Provider, Listing>();

/**
 * A provider's model ids, from its model list endpoint, cached per isolate for a minute (ten
 * seconds after a failure, which rejects). Concurrent callers share one upstream call.
 *
 * @example
 * const ids = await modelsOf(provider); // ["llama3.2:latest", …]
 */
export function modelsOf(provider: Provider, now = Date.now()): Promise<string[]> {
  const known = listings.get(provider);
  if (known && now - known.at < known.ttlMs) return known.models;
  const listing: Listing = {
    at: now,
    ttlMs: MODEL_LIST_CACHE_MS,
    models: provider.listModels(AbortSignal.timeout(LIST_TIMEOUT_MS)),
  };
  listing.models.catch(() => {
    listing.ttlMs = FAILED_LIST_CACHE_MS;
  });
  listings.set(provider, listing);
  return listing.models;
}

/** True when `listed` names `model`; Ollama lists `llama3.2:latest` for `llama3.2`. */
function sameModel(listed: string, model: string): boolean {
  return listed === model || listed === `${model}:latest` || `${listed}:latest` === model;
}

/**
 * The providers that can serve `model`, in order: those whose list names it, and those whose list
 * cannot be read right now (they may well have it; their own answer will tell).
 */
export async function providersOffering(providers: readonly Provider[], model: string): Promise<Provider[]> {
  const offers = await Promise.all(
    providers.map((provider) =>
      modelsOf(provider).then(
        (models) => models.some((listed) => sameModel(listed, model)),
        () => true,
      ),
    ),
  );
  return providers.filter((_, index) => offers[index]);
}
