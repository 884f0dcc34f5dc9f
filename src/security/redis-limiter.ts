import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter } from "./sliding-window";

export class RateLimitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RateLimitUnavailableError";
  }
}

/**
 * A sliding window shared by every isolate, on Redis through `@upstash/ratelimit`. A check that
 * takes longer than `timeoutMs` rejects with {@link RateLimitUnavailableError}, as does a Redis error.
 *
 * @example
 * const limiter = createRedisLimiter(redis, { name: "chat", limit: 60, windowMs: 60_000, timeoutMs: 500 });
 */
export function createRedisLimiter(
  redis: Redis,
  options: { name: string; limit: number; windowMs: number; timeoutMs: number },
): RateLimiter {
  const ratelimit = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(options.limit, `${options.windowMs} ms`),
    prefix: `nexus:ratelimit:${options.name}`,
    timeout: 0,
    analytics: false,
  });
  return {
    kind: "redis",
    async check(identifier) {
      const pending = ratelimit.limit(identifier);
      pending.catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RateLimitUnavailableError("timeout")), options.timeoutMs);
      });
      const result = await Promise.race([pending, timedOut])
        .catch((error: unknown) => {
          if (error instanceof RateLimitUnavailableError) throw error;
          throw new RateLimitUnavailableError(error instanceof Error ? error.name : "redis failure");
        })
        .finally(() => {
          if (timer !== undefined) clearTimeout(timer);
        });
      return {
        allowed: result.success,
        limit: result.limit,
        remaining: result.remaining,
        resetAt: result.reset,
      };
    },
  };
}
