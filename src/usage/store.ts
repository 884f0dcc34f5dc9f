import type { Redis } from "@upstash/redis";
import { CacheUnavailableError } from "../cache/types";

/** One increment of a hash field. */
export type Increment = readonly [hash: string, field: string, by: number];

/**
 * The few storage operations usage counters and budgets need, on Redis or in this isolate's memory.
 * Every failure is a {@link CacheUnavailableError}, so the history's write retry applies.
 */
export interface UsageStore {
  /**
   * Applies the increments once: a second call with the same `marker` (a retry whose first try
   * landed) changes nothing and answers false. Every hash written gets `ttlSeconds`.
   */
  applyOnce(marker: string, increments: readonly Increment[], ttlSeconds: number): Promise<boolean>;
  /** The numeric fields of each hash (an absent hash reads as `{}`). */
  readHashes(hashes: readonly string[]): Promise<Array<Record<string, number>>>;
  getText(key: string): Promise<string | null>;
  setText(key: string, value: string | null): Promise<void>;
}

/**
 * KEYS[1] is the marker (kept ARGV[1] seconds); ARGV[2] the TTL of the hashes; then triples
 * (hash, field, amount).
 */
const APPLY_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 3, #ARGV, 3 do
  redis.call('HINCRBYFLOAT', ARGV[i], ARGV[i + 1], ARGV[i + 2])
  redis.call('EXPIRE', ARGV[i], ARGV[2])
end
return 1
`;

/** A record is retried within the write-retry budget (under 30 s): an hour of markers is plenty, and cheap. */
const MARKER_TTL_SECONDS = 3_600;

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CacheUnavailableError) throw error;
    throw new CacheUnavailableError("usage command rejected", { cause: error });
  }
}

const numbers = (hash: Record<string, unknown> | null): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(hash ?? {})) out[field] = Number(value) || 0;
  return out;
};

/** Usage storage on Redis: one script call per record, one pipeline per read. */
export function createRedisUsageStore(redis: Redis): UsageStore {
  return {
    applyOnce: (marker, increments, ttlSeconds) =>
      guarded(async () => {
        const args = [
          String(MARKER_TTL_SECONDS),
          String(ttlSeconds),
          ...increments.flatMap(([hash, field, by]) => [hash, field, String(by)]),
        ];
        return (await redis.eval(APPLY_ONCE, [marker], args)) === 1;
      }),
    readHashes: (hashes) =>
      guarded(async () => {
        if (hashes.length === 0) return [];
        const pipeline = redis.pipeline();
        for (const hash of hashes) pipeline.hgetall(hash);
        const results = (await pipeline.exec()) as Array<Record<string, unknown> | null>;
        return results.map(numbers);
      }),
    getText: (key) =>
      guarded(async () => {
        const value = await redis.get<unknown>(key);
        return value === null || value === undefined
          ? null
          : typeof value === "string"
            ? value
            : JSON.stringify(value);
      }),
    setText: (key, value) =>
      guarded(async () => {
        if (value === null) await redis.del(key);
        else await redis.set(key, value);
      }),
  };
}

/** Usage storage in this isolate's memory (no Redis configured): lost on restart, per isolate. */
export function createMemoryUsageStore(): UsageStore {
  const hashes = new Map<string, Record<string, number>>();
  const texts = new Map<string, string>();
  const markers = new Set<string>();
  return {
    async applyOnce(marker, increments) {
      if (markers.has(marker)) return false;
      markers.add(marker);
      for (const [hash, field, by] of increments) {
        const entry = hashes.get(hash) ?? {};
        entry[field] = (entry[field] ?? 0) + by;
        hashes.set(hash, entry);
      }
      return true;
    },
    readHashes: async (keys) => keys.map((key) => ({ ...(hashes.get(key) ?? {}) })),
    getText: async (key) => texts.get(key) ?? null,
    async setText(key, value) {
      if (value === null) texts.delete(key);
      else texts.set(key, value);
    },
  };
}
