/** What a rate limiter says about one request. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current window ends, epoch milliseconds. */
  resetAt: number;
}

export interface RateLimiter {
  readonly kind: "redis" | "memory";
  check(identifier: string): Promise<RateDecision>;
}

interface WindowCounts {
  start: number;
  current: number;
  previous: number;
}

const MAX_TRACKED = 10_000;

/**
 * A sliding window in this isolate's memory, the same estimate `@upstash/ratelimit` uses: the
 * previous window's count weighted by how much of it still overlaps, plus the current window's.
 * Refused requests are not counted.
 *
 * @example
 * const limiter = createMemoryLimiter({ limit: 60, windowMs: 60_000 });
 * const { allowed, remaining } = await limiter.check("key:alice");
 */
export function createMemoryLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): RateLimiter {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const counts = new Map<string, WindowCounts>();

  const windowOf = (identifier: string, time: number): WindowCounts => {
    const start = time - (time % windowMs);
    const known = counts.get(identifier);
    if (!known || known.start < start - windowMs) return { start, current: 0, previous: 0 };
    if (known.start < start) return { start, current: 0, previous: known.current };
    return known;
  };

  return {
    kind: "memory",
    async check(identifier) {
      const time = now();
      const counted = windowOf(identifier, time);
      const overlap = 1 - (time - counted.start) / windowMs;
      const used = Math.floor(counted.previous * overlap) + counted.current;
      const resetAt = counted.start + windowMs;
      if (used >= limit) {
        counts.set(identifier, counted);
        return { allowed: false, limit, remaining: 0, resetAt };
      }
      counted.current++;
      if (counts.size >= MAX_TRACKED && !counts.has(identifier))
        forgetStale(counts, counted.start - windowMs);
      counts.set(identifier, counted);
      return { allowed: true, limit, remaining: Math.max(0, limit - used - 1), resetAt };
    },
  };
}

function forgetStale(counts: Map<string, WindowCounts>, before: number): void {
  for (const [identifier, window] of counts) if (window.start <= before) counts.delete(identifier);
  if (counts.size >= MAX_TRACKED) counts.delete(counts.keys().next().value as string);
}
