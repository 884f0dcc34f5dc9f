import type { MiddlewareHandler } from "hono";
import { redact } from "../lib/redact";
import type { AppEnv } from "../types";

const MAX_SCANNED_BYTES = 64 * 1024;

/**
 * Last line of defence for error answers: a configured secret that slipped into an error body
 * (say, an upstream message quoting a key) is replaced by `[redacted]`. Successful answers and
 * streams are left alone.
 *
 * @example
 * app.use("*", redactErrorResponses());
 */
export function redactErrorResponses(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const response = c.res;
    if (response.status < 400) return;
    const length = Number(response.headers.get("content-length") ?? 0);
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("json") || length > MAX_SCANNED_BYTES) return;
    const { secrets } = c.get("services");
    if (secrets.length === 0) return;
    const text = await response.clone().text();
    const clean = redact(text, secrets);
    if (clean === text) return;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    c.res = undefined;
    c.res = new Response(clean, { status: response.status, headers });
  };
}
