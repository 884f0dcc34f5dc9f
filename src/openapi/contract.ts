import type * as z from "zod";
import type { MaybeLazy } from "../lib/lazy";
import type { AuthLevel } from "../middleware/auth";
import type { Spending } from "../middleware/budget";
import { ErrorEnvelopeSchema } from "../schemas/common";
import type { RateBudget } from "../services";

export type Method = "get" | "post" | "delete";

export interface ResponseContract {
  description: string;
  /** JSON body schema; omit for a response without a JSON body. */
  schema?: MaybeLazy<z.ZodType>;
  /** Other media types the route may answer with, e.g. `text/event-stream`. */
  alsoAs?: string[];
}

/**
 * What one route accepts and answers, in the zod schemas that also validate it. `register` serves
 * the route from it (path, auth, rate budget, body limit, validation) and `/openapi.json` documents
 * it from the same object, so the two cannot disagree. A schema may be `lazy`: it is then built on
 * the route's first request (or for the document), not when the isolate starts.
 */
export interface RouteContract {
  method: Method;
  /** OpenAPI-style path: `/messages/{id}`. */
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Needs an API key (admin: an admin key); public when absent. */
  auth?: AuthLevel;
  /** The per-caller budget of requests a minute it counts against: every route has one. */
  rateLimit: RateBudget;
  /**
   * The route spends provider or analyzer quota: each request passes the caller's budget first
   * (`KEY_BUDGETS`, 429 `budget_exceeded`). Every route that can spend must say so.
   */
  spends?: Spending;
  /** Largest JSON body accepted, in bytes (routes with a body; default 64 KiB). */
  bodyLimit?: number;
  /** Input schemas; `headers` keys are lower-case header names (Hono's reading of them). */
  request?: {
    body?: MaybeLazy<z.ZodType>;
    params?: MaybeLazy<z.ZodObject>;
    query?: MaybeLazy<z.ZodObject>;
    headers?: MaybeLazy<z.ZodObject>;
  };
  responses: Record<number, ResponseContract>;
  /**
   * Error statuses the handler itself may answer, in the error envelope. Those that follow from
   * the rest of the contract (400 for invalid input, 401/403 for auth, 413/415 for a body, 429 for
   * a rate budget) are added by {@link errorStatusesOf}.
   */
  errors?: number[];
  /**
   * The body of its error answers; the envelope by default. A route family with its own error shape
   * (say `/v1/*`) names its schema here and sets `renderError` for its requests.
   */
  errorSchema?: MaybeLazy<z.ZodType>;
}

/** Declares a route's contract (identity at runtime; keeps the literal types). */
export function defineRoute<const T extends RouteContract>(contract: T): T {
  return contract;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid JSON or fields (details name them)",
  401: "Missing or wrong API key",
  403: "The key may not do this",
  404: "Unknown id or route",
  405: "Method not allowed on this path",
  413: "Body too large",
  415: "Body is not JSON",
  422: "The provider refused the request's parameters (details say why)",
  429: "Rate limited or over the key's budget; see Retry-After",
  500: "Unexpected failure or invalid configuration",
  502: "Every provider answered badly",
  503: "Nothing available to answer (no provider, auth not configured, cache down)",
  504: "The provider did not answer in time",
};

/** Every error status a route may answer: what its guards imply, and what its handler adds. */
export function errorStatusesOf(route: RouteContract): number[] {
  const { request = {} } = route;
  const implied = [
    ...(request.body || request.params || request.query || request.headers ? [400] : []),
    ...(route.auth ? [401] : []),
    ...(route.auth === "admin" ? [403] : []),
    ...(request.body ? [413, 415] : []),
    ...(route.rateLimit || route.spends ? [429] : []),
  ];
  return [...new Set([...implied, ...(route.errors ?? [])])].sort((a, b) => a - b);
}

/** The documented error responses of a route: each status it may answer, with its error body. */
export function errorResponsesOf(route: RouteContract): Record<number, ResponseContract> {
  const schema = route.errorSchema ?? ErrorEnvelopeSchema;
  return Object.fromEntries(
    errorStatusesOf(route).map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? "Error", schema },
    ]),
  );
}
