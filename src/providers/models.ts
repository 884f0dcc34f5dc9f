import type { ModelList } from "../schemas/health";
import type { ProviderName } from "./registry";
import type { Provider } from "./types";

const LIST_TIMEOUT_MS = 5_000;
const CACHE_MS = 60_000;

/** The models the configured providers offer. */
export interface ModelCatalog {
  /** Every provider asked in parallel; one that fails is listed under `errors`. A full answer is kept a minute. */
  list(): Promise<ModelList>;
}

/**
 * @example
 * const catalog = createModelCatalog(providers);
 * const { data, errors } = await catalog.list();
 */
export function createModelCatalog(providers: readonly Provider<ProviderName>[]): ModelCatalog {
  let cached: { at: number; list: ModelList } | undefined;
  return {
    async list() {
      if (cached && Date.now() - cached.at < CACHE_MS) return cached.list;
      const list = await listModels(providers);
      cached = list.errors.length === 0 ? { at: Date.now(), list } : undefined;
      return list;
    },
  };
}

async function listModels(providers: readonly Provider<ProviderName>[]): Promise<ModelList> {
  const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
  const results = await Promise.allSettled(providers.map((provider) => provider.listModels(signal)));
  const list: ModelList = { data: [], errors: [] };
  results.forEach((result, index) => {
    const provider = providers[index];
    if (!provider) return;
    if (result.status === "fulfilled") {
      for (const id of result.value) list.data.push({ id, provider: provider.name });
    } else {
      list.errors.push({
        provider: provider.name,
        error: result.reason instanceof Error ? result.reason.message : "unavailable",
      });
    }
  });
  return list;
}
