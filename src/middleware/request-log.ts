import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../types";

/**
 * One JSON log line per request: route, status, latency and what the route learnt (provider, model,
 * tokens, key name). Never the message text, never a secret.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    c.set("facts", {});
    await next();
    c.var.services?.log({
      msg: "request",
      requestId: c.var.requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...c.var.facts,
    });
  };
}
