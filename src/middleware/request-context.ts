import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { servicesFor } from "../services";
import type { AppEnv } from "../types";

/**
 * Gives the request its services (built once per isolate from `env`) and, once answered, writes one
 * JSON log line: route, status, latency and what the route learnt (provider, model, tokens, key
 * name). Never the message text, never a secret.
 */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = servicesFor(c.env);
    c.set("services", services);
    c.set("facts", {});
    const started = performance.now();
    await next();
    if (services.config.logLevel !== "info" && services.config.logLevel !== "debug") return;
    services.log({
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...c.get("facts"),
    });
  };
}
