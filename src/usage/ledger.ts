import { dayOf, daysBetween, monthOf } from "./periods";
import { roundUsd, type TokenCounts } from "./prices";
import type { Increment, UsageStore } from "./store";

/** How a chat ended, as counted. */
export type UsageOutcome = "answered" | "failed" | "cancelled" | "cache_hit";

/** One request's usage, as recorded once it has ended. */
export interface UsageEntry {
  /** The message id: a retried record with the same id is counted once. */
  id: string;
  /** The API key's name (`anonymous` when auth is off). */
  key: string;
  provider: string;
  model: string;
  outcome: UsageOutcome;
  tokens: TokenCounts & { estimated: boolean };
  costUsd: number;
  latencyMs: number;
  humanLikenessScore: number | null;
  at: number;
}

/** What a key has spent in the current day and month. */
export interface Spend {
  day: { costUsd: number; tokens: number };
  month: { costUsd: number; tokens: number };
}

/** Totals of a set of requests. */
export interface UsageTotals {
  requests: number;
  failed: number;
  cancelled: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Requests whose tokens were estimated because the provider reported none. */
  estimated: number;
  costUsd: number;
  latencyMs: number;
  /** Scored answers per tenth of the human-likeness scale: [0–10), [10–20), … [90–100]. */
  scoreHistogram: number[];
}

/** One day × key × model of counters. */
export interface UsageRow extends UsageTotals {
  day: string;
  key: string;
  /** `provider/model` as served. */
  model: string;
}

const FIELDS = [
  "requests",
  "failed",
  "cancelled",
  "cacheHits",
  "promptTokens",
  "completionTokens",
  "cachedTokens",
  "reasoningTokens",
  "estimated",
  "costUsd",
  "latencyMs",
] as const;
const TOTAL = "*";
const BUCKETS = 10;

const dayHash = (day: string, key: string) => `usage:d:${day}:${key}`;
const monthHash = (month: string, key: string) => `usage:m:${month}:${key}`;

export function emptyTotals(): UsageTotals {
  const totals = Object.fromEntries(FIELDS.map((field) => [field, 0])) as Omit<UsageTotals, "scoreHistogram">;
  return { ...totals, scoreHistogram: new Array<number>(BUCKETS).fill(0) };
}

/** Adds `more` into `into` (and returns it). */
export function addTotals<T extends UsageTotals>(into: T, more: UsageTotals): T {
  for (const field of FIELDS) into[field] += more[field];
  into.costUsd = roundUsd(into.costUsd);
  more.scoreHistogram.forEach((count, bucket) => {
    into.scoreHistogram[bucket] = (into.scoreHistogram[bucket] ?? 0) + count;
  });
  return into;
}

export interface UsageLedger {
  /** Counts one request (idempotent by `entry.id`); throws CacheUnavailableError for the write retry. */
  record(entry: UsageEntry): Promise<void>;
  /** What `key` has spent today and this month (UTC). */
  spend(key: string, at: number): Promise<Spend>;
  /** The counters of `keys` for each day of the range. */
  rows(from: string, to: string, keys: readonly string[]): Promise<UsageRow[]>;
}

/**
 * Usage counters per key × model × day (hash `usage:d:<day>:<key>`, fields `<provider/model>|<counter>`,
 * plus `*|costUsd` and `*|tokens` for budgets) and a month total per key (`usage:m:<month>:<key>`),
 * expiring after `ttlSeconds`.
 */
export function createUsageLedger(store: UsageStore, options: { ttlSeconds: number }): UsageLedger {
  return {
    async record(entry) {
      const daily = dayHash(dayOf(entry.at), entry.key);
      const monthly = monthHash(monthOf(entry.at), entry.key);
      const model = `${entry.provider}/${entry.model}`;
      const tokens = entry.tokens.promptTokens + entry.tokens.completionTokens;
      const counters: Partial<Record<(typeof FIELDS)[number], number>> = {
        requests: 1,
        failed: entry.outcome === "failed" ? 1 : 0,
        cancelled: entry.outcome === "cancelled" ? 1 : 0,
        cacheHits: entry.outcome === "cache_hit" ? 1 : 0,
        promptTokens: entry.tokens.promptTokens,
        completionTokens: entry.tokens.completionTokens,
        cachedTokens: entry.tokens.cachedTokens ?? 0,
        reasoningTokens: entry.tokens.reasoningTokens ?? 0,
        estimated: entry.tokens.estimated ? 1 : 0,
        costUsd: entry.costUsd,
        latencyMs: Math.round(entry.latencyMs),
      };
      const increments: Increment[] = Object.entries(counters)
        .filter(([, by]) => by !== 0)
        .map(([field, by]) => [daily, `${model}|${field}`, by as number]);
      if (entry.humanLikenessScore !== null) {
        const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(entry.humanLikenessScore / 10)));
        increments.push([daily, `${model}|score${bucket}`, 1]);
      }
      if (entry.costUsd) increments.push([daily, `${TOTAL}|costUsd`, entry.costUsd]);
      if (tokens) increments.push([daily, `${TOTAL}|tokens`, tokens]);
      if (entry.costUsd) increments.push([monthly, "costUsd", entry.costUsd]);
      if (tokens) increments.push([monthly, "tokens", tokens]);
      await store.applyOnce(`usage:once:${entry.id}`, increments, options.ttlSeconds);
    },

    async spend(key, at) {
      const [day = {}, month = {}] = await store.readHashes([
        dayHash(dayOf(at), key),
        monthHash(monthOf(at), key),
      ]);
      return {
        day: { costUsd: roundUsd(day[`${TOTAL}|costUsd`] ?? 0), tokens: day[`${TOTAL}|tokens`] ?? 0 },
        month: { costUsd: roundUsd(month.costUsd ?? 0), tokens: month.tokens ?? 0 },
      };
    },

    async rows(from, to, keys) {
      const pairs = daysBetween(from, to).flatMap((day) => keys.map((key) => ({ day, key })));
      const hashes = await store.readHashes(pairs.map(({ day, key }) => dayHash(day, key)));
      return pairs.flatMap(({ day, key }, index) => rowsOf(day, key, hashes[index] ?? {}));
    },
  };
}

function rowsOf(day: string, key: string, hash: Record<string, number>): UsageRow[] {
  const byModel = new Map<string, UsageRow>();
  for (const [name, value] of Object.entries(hash)) {
    const bar = name.lastIndexOf("|");
    const model = name.slice(0, bar);
    if (model === TOTAL) continue;
    const counter = name.slice(bar + 1);
    let row = byModel.get(model);
    if (!row) {
      row = { day, key, model, ...emptyTotals() };
      byModel.set(model, row);
    }
    if (counter.startsWith("score")) row.scoreHistogram[Number(counter.slice(5))] = value;
    else if ((FIELDS as readonly string[]).includes(counter))
      row[counter as (typeof FIELDS)[number]] = counter === "costUsd" ? roundUsd(value) : value;
  }
  return [...byModel.values()];
}
