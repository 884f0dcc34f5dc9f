import type { Redis } from "@upstash/redis";
import type { Context, MiddlewareHandler } from "hono";
import type { Config } from "../config";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";
import { errorName, recordAudit } from "./audit";
import { createRedisLimiter } from "./redis-limiter";
import { callerIdentity } from "./request-context";
import { createMemoryLimiter, type RateDecision, type RateLimiter } from "./sliding-window";
import { securityFor } from "./state";

export type RateBudget = "chat" | "analyze";

const WINDOW_MS = 60_000;
const perMinute: Record<RateBudget, (config: Config) => number> = {
  chat: (config) => config.rateLimits.chatPerMinute,
  analyze: (config) => config.rateLimits.analyzePerMinute,
};

/**
 * A per-caller budget (API key, or client IP when auth is off) of requests per minute, a sliding
 * window on Redis when the cache has one, else in this isolate's memory. Answers carry
 * `RateLimit-*` headers; over budget is a 429 with `Retry-After`. If Redis fails or is slow the
 * request goes through and the failure is logged.
 *
 * @example
 * app.use("/chat", rateLimit("chat"));
 */
export function rateLimit(budget: RateBudget): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = limiterFor(c, budget);
    const decision = await limiter.check(`${budget}|${callerIdentity(c)}`).catch((error: unknown) => {
      c.get("services").log({ msg: "rate_limit_unavailable", budget, error: errorName(error) }, "warn");
      return undefined;
    });
    if (!decision) return next();
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      recordAudit(c, { type: "rate_limited", reason: budget });
      throw new ApiError(
        429,
        "rate_limited",
        `Over ${decision.limit} ${budget} requests a minute; retry later`,
        {
          ...headers,
          "Retry-After": String(resetSeconds(decision)),
        },
      );
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
  };
}

/** The IETF draft `RateLimit-*` headers for one decision. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(resetSeconds(decision)),
    "RateLimit-Policy": `${decision.limit};w=${WINDOW_MS / 1000}`,
  };
}

function resetSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
}

function limiterFor(c: Context<AppEnv>, budget: RateBudget): RateLimiter {
  const services = c.get("services");
  const security = securityFor(services);
  let limiter = security.limiters.get(budget);
  if (!limiter) {
    const limit = perMinute[budget](services.config);
    const redis: Redis | undefined = security.redis;
    limiter = redis
      ? createRedisLimiter(redis, {
          name: budget,
          limit,
          windowMs: WINDOW_MS,
          timeoutMs: services.config.cache.timeoutMs,
        })
      : createMemoryLimiter({ limit, windowMs: WINDOW_MS });
    security.limiters.set(budget, limiter);
  }
  return limiter;
}
