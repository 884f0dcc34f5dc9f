import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Trace, traceSignal, withTrace } from "../telemetry";
import type { AppEnv } from "../types";

/**
 * Answers every request with `Server-Timing` (provider time vs the gateway's own) and, when an OTLP
 * endpoint is configured, makes the request a trace (child of the caller's `traceparent`): the
 * request's services record their calls in it (`withTrace`), its provider attempts find it by the
 * request's abort signal, and it is exported in `waitUntil` once the stream and every piece of work
 * handed to `waitUntil` have ended. Export failures are logged, never seen by the client. No async
 * context: in workerd one costs more CPU per request than all the spans together.
 */
export function tracing(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const { exporter } = c.get("services").telemetry;
    const trace = exporter
      ? new Trace(c.req.method, { "http.request.method": c.req.method }, c.req.header("traceparent"))
      : undefined;
    const waitUntil = trace && trackWork(c, trace);
    if (trace) {
      c.set("services", withTrace(c.get("services"), trace));
      traceSignal(c.req.raw.signal, trace);
    }
    await next();

    const totalMs = Date.now() - started;
    const providerMs = Math.min(totalMs, c.get("facts").providerMs ?? 0);
    c.res.headers.append(
      "Server-Timing",
      `gateway;dur=${totalMs - providerMs}, provider;dur=${providerMs}, total;dur=${totalMs}`,
    );
    if (!exporter || !trace || !waitUntil || !trace.sampled || trace.spans.length < 2) return;

    const route = routePath(c, -1);
    const { root } = trace;
    root.record.name = `${c.req.method} ${route}`;
    root.set({ "http.route": route, "http.response.status_code": c.res.status });
    if (c.res.status >= 500) root.record.status = { code: 2 };
    root.end();
    const streamEnd = c.get("streamEnd");
    waitUntil(
      (async () => {
        if (streamEnd) {
          await streamEnd;
          root.end();
        }
        await trace.settled();
        await exporter.export(trace);
      })(),
    );
  };
}

/**
 * Lets the trace know of the work this request hands to `waitUntil` (history writes, room
 * publishes, usage counters), so it is exported once that work is done. Returns the original
 * `waitUntil`, or undefined where there is no execution context.
 */
function trackWork(c: Parameters<MiddlewareHandler<AppEnv>>[0], trace: Trace) {
  let context: typeof c.executionCtx;
  try {
    context = c.executionCtx;
  } catch {
    return undefined;
  }
  const original = context.waitUntil.bind(context);
  try {
    context.waitUntil = (work: Promise<unknown>) => {
      trace.track(work);
      original(work);
    };
  } catch {
    // A context whose waitUntil cannot be replaced: the trace is exported without waiting for that work.
  }
  return original;
}
