import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { servicesFor } from "../services";
import type { AppEnv } from "../types";
import { runAfterResponse } from "./caller";

/**
 * Gives the request its services (built once per isolate from `env`) and, once answered, writes one
 * JSON log line: route, status, latency and what the route learnt (provider, model, tokens, key
 * name). A streamed answer is logged when its stream ends (in `waitUntil`), so its model, tokens
 * and failures are known; its latency is then the whole stream's. Never the message text, never a secret.
 */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = servicesFor(c.env);
    c.set("services", services);
    c.set("facts", {});
    const started = performance.now();
    await next();
    if (services.config.logLevel !== "info" && services.config.logLevel !== "debug") return;
    const route = routePath(c, -1);
    const status = c.res.status;
    const write = () =>
      services.log({
        msg: "request",
        requestId: c.get("requestId"),
        method: c.req.method,
        route,
        status,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        ...c.get("facts"),
      });
    const streamEnd = c.get("streamEnd");
    if (streamEnd) runAfterResponse(c, streamEnd.then(write));
    else write();
  };
}
