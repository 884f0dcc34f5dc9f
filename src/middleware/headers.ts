import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../types";

const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";
const EXPOSED_HEADERS = [
  "X-Request-Id",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "RateLimit-Policy",
];

/**
 * CORS for the origins in `CORS_ORIGINS` (`*` allows any, without credentials); other origins get
 * no `Access-Control-Allow-Origin`, so browsers keep their pages out.
 *
 * @example
 * app.use("*", corsPolicy());
 */
export function corsPolicy(): MiddlewareHandler<AppEnv> {
  const policy = cors({
    origin: (origin, c: Context<AppEnv>) => allowedOrigin(origin, c.get("services").config.corsOrigins),
    allowMethods: ["GET", "HEAD", "POST", "DELETE", "OPTIONS"],
    allowHeaders: [
      "Authorization",
      "Content-Type",
      "Accept",
      "X-Request-Id",
      "X-Conversation-Id",
      "X-Metrics",
      "X-Include-Metrics",
    ],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  // Requests without an Origin are not cross-origin browser requests: nothing to allow, and skipping
  // spares hono's cors from touching c.res before the handler (which makes hono copy the response).
  return (c, next) => (c.req.header("origin") ? policy(c, next) : next());
}

/** The `Access-Control-Allow-Origin` value for `origin`, or null when it is not on the list. */
export function allowedOrigin(origin: string, allowList: readonly string[]): string | null {
  if (allowList.includes("*")) return "*";
  const normalized = origin.replace(/\/+$/, "").toLowerCase();
  return allowList.some((allowed) => allowed.replace(/\/+$/, "").toLowerCase() === normalized)
    ? origin
    : null;
}

/** What an API answer needs: no sniffing, no framing, no referrer, HTTPS only, a CSP allowing nothing. */
const API_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", STRICT_TRANSPORT_SECURITY],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Content-Security-Policy", API_CONTENT_SECURITY_POLICY],
];

/**
 * Browser-hardening headers on every answer (nosniff, HSTS, no framing, no referrer, same-origin
 * resources); API answers (anything but HTML) also get a CSP that allows nothing, while HTML pages
 * get hono's whole `secureHeaders` set. Answers to keyed requests are not cached.
 *
 * @example
 * app.use("*", securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const pageHardening = secureHeaders({
    xFrameOptions: "DENY",
    strictTransportSecurity: STRICT_TRANSPORT_SECURITY,
  });
  const answered = async () => {};
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    if ((headers.get("content-type") ?? "").startsWith("text/html")) await pageHardening(c, answered);
    else for (const [name, value] of API_HEADERS) headers.set(name, value);
    if (c.req.header("authorization") && !headers.has("cache-control")) {
      headers.set("Cache-Control", "no-store");
    }
  };
}
