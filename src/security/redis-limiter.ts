import type { Redis } from "@upstash/redis";
import { withDeadline } from "../lib/deadline";
import type { RateLimiter } from "./sliding-window";

export class RateLimitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RateLimitUnavailableError";
  }
}

/**
 * One check in one atomic step: the previous window's count (KEYS[2]) weighted by how much of it
 * still overlaps, plus the current window's (KEYS[1]); under the limit (ARGV[1]) the current window
 * counts one more and expires after two windows (ARGV[3] ms) and a second. ARGV[2] is now, in ms.
 * Returns the requests left after this one, −1 when refused. The key layout and the estimate are
 * `@upstash/ratelimit`'s sliding window, so counters carry over between the two.
 */
const SLIDING_WINDOW = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
local previous = tonumber(redis.call('GET', KEYS[2]) or 0)
previous = math.floor((1 - (tonumber(ARGV[2]) % window) / window) * previous)
if previous + current >= limit then return -1 end
local counted = redis.call('INCR', KEYS[1])
if counted == 1 then redis.call('PEXPIRE', KEYS[1], window * 2 + 1000) end
return limit - counted - previous
`;

const MAX_REFUSED_TRACKED = 10_000;

/**
 * A sliding window shared by every isolate, on Redis: one script call per check. A caller refused
 * in a window is refused from this isolate's memory until the window ends, without asking Redis.
 * A check that takes longer than `timeoutMs` rejects with {@link RateLimitUnavailableError}, as does
 * a Redis error.
 *
 * @example
 * const limiter = createRedisLimiter(redis, { name: "chat", limit: 60, windowMs: 60_000, timeoutMs: 500 });
 */
export function createRedisLimiter(
  redis: Redis,
  options: { name: string; limit: number; windowMs: number; timeoutMs: number },
): RateLimiter {
  const { limit, windowMs } = options;
  const prefix = `nexus:ratelimit:${options.name}:`;
  const refusedUntil = new Map<string, number>();

  return {
    kind: "redis",
    async check(identifier) {
      const now = Date.now();
      const window = Math.floor(now / windowMs);
      const resetAt = (window + 1) * windowMs;
      if ((refusedUntil.get(identifier) ?? 0) > now) return { allowed: false, limit, remaining: 0, resetAt };

      const key = prefix + identifier;
      const pending = redis.eval<string[], number>(
        SLIDING_WINDOW,
        [`${key}:${window}`, `${key}:${window - 1}`],
        [String(limit), String(now), String(windowMs)],
      );
      pending.catch(() => undefined);
      const left = await withDeadline(
        pending,
        options.timeoutMs,
        () => new RateLimitUnavailableError("timeout"),
      ).catch((error: unknown) => {
        if (error instanceof RateLimitUnavailableError) throw error;
        throw new RateLimitUnavailableError(error instanceof Error ? error.name : "redis failure");
      });
      if (left >= 0) return { allowed: true, limit, remaining: left, resetAt };
      if (refusedUntil.size >= MAX_REFUSED_TRACKED) forgetEnded(refusedUntil, now);
      refusedUntil.set(identifier, resetAt);
      return { allowed: false, limit, remaining: 0, resetAt };
    },
  };
}

function forgetEnded(refusedUntil: Map<string, number>, now: number): void {
  for (const [identifier, until] of refusedUntil) if (until <= now) refusedUntil.delete(identifier);
  if (refusedUntil.size >= MAX_REFUSED_TRACKED) refusedUntil.clear();
}
