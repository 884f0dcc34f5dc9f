import type { MiddlewareHandler } from "hono";
import { ApiError, errorName } from "../lib/errors";
import type { RateDecision } from "../security/sliding-window";
import type { RateBudget } from "../services";
import type { AppEnv } from "../types";
import { recordAudit } from "./audit";
import { callerIdentity } from "./caller";

const WINDOW_SECONDS = 60;

/**
 * A per-caller budget (API key, or client IP when auth is off) of requests per minute, a sliding
 * window on Redis when the cache has one, else in this isolate's memory. Answers carry
 * `RateLimit-*` headers; over budget is a 429 with `Retry-After`. If Redis fails or is slow the
 * request goes through and the failure is logged.
 *
 * @example
 * app.use("/chat", rateLimit("chat")); // or `rateLimit: "chat"` in the route's contract
 */
export function rateLimit(budget: RateBudget): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = c.get("services").limiters[budget];
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
    "RateLimit-Policy": `${decision.limit};w=${WINDOW_SECONDS}`,
  };
}

function resetSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
}
