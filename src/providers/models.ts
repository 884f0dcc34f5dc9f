import type { ModelList } from "../schemas/health";
import type { ProviderName } from "./registry";
import type { Provider } from "./types";

const LIST_TIMEOUT_MS = 5_000;
/** How long a provider's model list is trusted; `/health` and `/models` answer from it. */
export const MODEL_LIST_CACHE_MS = 30_000;
/** A model list that failed is asked for again after this long. */
const FAILED_LIST_CACHE_MS = 10_000;

/** One provider's model list as last read, or why it could not be read. */
export type ProviderListing =
  | { provider: Provider<ProviderName>; ok: true; models: string[] }
  | { provider: Provider<ProviderName>; ok: false; error: string };

/** The models the configured providers offer, read from each provider's list and cached per isolate. */
export interface ModelCatalog {
  /** Every provider's models; one that fails is listed under `errors`. */
  list(): Promise<ModelList>;
  /** Each provider's listing: the cheap reachability probe behind `/health`. */
  listings(): Promise<ProviderListing[]>;
  /**
   * The providers among `providers` that can serve `model`, in order: those whose list names it,
   * and those whose list cannot be read right now (their own answer will tell).
   */
  offering(providers: readonly Provider<ProviderName>[], model: string): Promise<Provider<ProviderName>[]>;
}

/**
 * Each provider's list is fetched at most once per 30 s (10 s after a failure), whoever asks:
 * `/models`, `/health` and chats naming a model share it, so none of them can be used to spend
 * upstream quota. Concurrent callers share one upstream call.
 *
 * @example
 * const catalog = createModelCatalog(providers);
 * const { data, errors } = await catalog.list();
 */
export function createModelCatalog(providers: readonly Provider<ProviderName>[]): ModelCatalog {
  const cached = new Map<
    Provider<ProviderName>,
    { at: number; ttlMs: number; listing: Promise<ProviderListing> }
  >();
  const listingOf = (provider: Provider<ProviderName>): Promise<ProviderListing> => {
    const now = Date.now();
    const known = cached.get(provider);
    if (known && now - known.at < known.ttlMs) return known.listing;
    const entry = {
      at: now,
      ttlMs: MODEL_LIST_CACHE_MS,
      listing: Promise.resolve<ProviderListing>({ provider, ok: true, models: [] }),
    };
    entry.listing = provider.listModels(AbortSignal.timeout(LIST_TIMEOUT_MS)).then(
      (models): ProviderListing => ({ provider, ok: true, models }),
      (reason: unknown): ProviderListing => {
        entry.ttlMs = FAILED_LIST_CACHE_MS;
        return { provider, ok: false, error: reason instanceof Error ? reason.message : "unavailable" };
      },
    );
    cached.set(provider, entry);
    return entry.listing;
  };
  const listings = () => Promise.all(providers.map(listingOf));
  return {
    listings,
    async list() {
      const list: ModelList = { data: [], errors: [] };
      for (const listing of await listings()) {
        if (listing.ok)
          for (const id of listing.models) list.data.push({ id, provider: listing.provider.name });
        else list.errors.push({ provider: listing.provider.name, error: listing.error });
      }
      return list;
    },
    async offering(among, model) {
      const found = await Promise.all(among.map(listingOf));
      return among.filter((_, index) => {
        const listing = found[index];
        return !listing?.ok || listing.models.some((listed) => sameModel(listed, model));
      });
    },
  };
}

/** True when `listed` names `model`; Ollama lists `llama3.2:latest` for `llama3.2`. */
/** Whether a listed model id names `model` (Ollama lists `llama3.2` as `llama3.2:latest`). */
export function sameModel(listed: string, model: string): boolean {
  return listed === model || listed === `${model}:latest` || `${listed}:latest` === model;
}
