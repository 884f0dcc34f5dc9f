import type { Redis } from "@upstash/redis";
import type { WriteRetry } from "../cache/write-retry";
import type { TokenUsage } from "../providers/types";
import { type Budgets, createBudgets, type WorstCase } from "./budgets";
import type { UsageConfig } from "./config";
import { createUsageLedger, type UsageEntry, type UsageLedger } from "./ledger";
import { createPriceBook, type PriceBook } from "./prices";
import { createMemoryUsageStore, createRedisUsageStore } from "./store";

export type { KeyBudget } from "./budgets";
export type { UsageEntry, UsageOutcome } from "./ledger";

/** An answer's tokens and cost, as `/chat` reports them (`/v1` maps it to OpenAI's names). */
export interface ChatUsage extends TokenUsage {
  /** US dollars, from the price table (or `MODEL_PRICES`); 0 for an unpriced model. */
  cost: number;
  /** True when the provider reported no tokens and they were estimated from the text. */
  estimated?: true;
}

export interface Usage {
  prices: PriceBook;
  ledger: UsageLedger;
  budgets: Budgets;
  /** Tokens (as reported, else estimated from the texts) and cost of one answer. */
  measure(
    served: { provider: string; model: string },
    reported: TokenUsage | null,
    texts: { promptChars: number; completion: string },
  ): ChatUsage;
  /** The most a request can cost: its prompt estimate and its token allowance at the dearest candidate's price. */
  worstCase(
    candidates: ReadonlyArray<{ provider: string; model: string }>,
    promptChars: number,
    maxTokens: number,
  ): WorstCase;
  /** Counts a request, retrying a Redis outage like the history's writes; never throws. */
  record(entry: UsageEntry): Promise<void>;
}

/** Roughly four characters a token in English (OpenAI's rule of thumb); only used when a provider reports none. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * Usage accounting, prices and budgets, on Redis when configured (else this isolate's memory).
 *
 * @example
 * const usage = createUsage({ config: config.usage, redis, writes });
 * const cost = usage.measure({ provider: "groq", model }, reply.usage, { promptChars, completion: text }).cost;
 */
export function createUsage(options: {
  config: UsageConfig;
  redis: Redis | undefined;
  writes: WriteRetry;
}): Usage {
  const { config, redis, writes } = options;
  const store = redis ? createRedisUsageStore(redis) : createMemoryUsageStore();
  const prices = createPriceBook(config.prices);
  const ledger = createUsageLedger(store, { ttlSeconds: config.ttlSeconds });
  const budgets = createBudgets({ configured: config.budgets, store, ledger });
  return {
    prices,
    ledger,
    budgets,
    measure(served, reported, texts) {
      const tokens: TokenUsage = reported ?? {
        promptTokens: estimateTokens(texts.promptChars),
        completionTokens: estimateTokens(texts.completion.length),
        totalTokens: estimateTokens(texts.promptChars) + estimateTokens(texts.completion.length),
      };
      const cost = prices.costOf(served.provider, served.model, tokens);
      return { ...tokens, cost, ...(reported ? {} : { estimated: true as const }) };
    },
    worstCase(candidates, promptChars, maxTokens) {
      const promptTokens = estimateTokens(promptChars);
      const tokens = { promptTokens, completionTokens: maxTokens };
      const costUsd = Math.max(
        0,
        ...candidates.map(({ provider, model }) => prices.costOf(provider, model, tokens)),
      );
      return { costUsd, tokens: promptTokens + maxTokens };
    },
    async record(entry) {
      await writes.run("recordUsage", () => ledger.record(entry));
    },
  };
}
