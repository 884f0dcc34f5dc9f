import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { ApiError, type ErrorCode, errorName } from "../lib/errors";
import { ProviderError } from "../providers/errors";
import type { AppEnv } from "../types";

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/**
 * Renders any error, in the envelope unless the route family set its own `renderError`; unknown
 * errors become a 500 that reveals nothing.
 */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const apiError = toApiError(error);
  if (apiError.status >= 500 && apiError.code === "internal_error") {
    c.get("services")?.log(
      { msg: "unhandled_error", requestId: c.get("requestId"), name: errorName(error) },
      "error",
    );
  }
  return (c.get("renderError") ?? envelope)(c, apiError);
};

export function envelope(c: Context<AppEnv>, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json({ status: "error", error: error.code, details: error.details }, error.status);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ProviderError && error.kind === "aborted") {
    return new ApiError(503, "request_cancelled", "The client went away before the model answered");
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const malformedJson = status === 400 && /json/i.test(error.message);
    const code = malformedJson ? "invalid_json" : (CODE_BY_STATUS[status] ?? "internal_error");
    return new ApiError(
      status,
      code,
      malformedJson ? "The request body is not valid JSON" : error.message || code,
    );
  }
  return new ApiError(
    500,
    "internal_error",
    "Something went wrong on our side; the request id identifies it",
  );
}

/** Formats zod issues as `field: problem; field: problem`, never echoing the offending values. */
export function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/**
 * 404 for unknown paths, 405 (with `Allow`) for a known path asked with another method.
 * `routes` is read on first use, after every route is registered.
 */
export function notFoundOrWrongMethod(
  routes: () => ReadonlyArray<{ path: string; method: string }>,
): NotFoundHandler<AppEnv> {
  let table: Array<{ pattern: RegExp; methods: Set<string> }> | undefined;
  return (c) => {
    table ??= buildTable(routes());
    const render = c.get("renderError") ?? envelope;
    const allowed = table.find((entry) => entry.pattern.test(c.req.path))?.methods;
    if (allowed && !allowed.has(c.req.method)) {
      c.header("Allow", [...allowed].join(", "));
      return render(
        c,
        new ApiError(405, "method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}`),
      );
    }
    return render(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`));
  };
}

function buildTable(routes: ReadonlyArray<{ path: string; method: string }>) {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, "[^/]+")}/?$`),
    methods: new Set([...methods, "OPTIONS"]),
  }));
}
