import type * as z from "zod";
import { ErrorEnvelopeSchema } from "../schemas/common";

export type Method = "get" | "post";

export interface ResponseContract {
  description: string;
  /** JSON body schema; omit for a response without a JSON body. */
  schema?: z.ZodType;
  /** Other media types the route may answer with, e.g. `text/event-stream`. */
  alsoAs?: string[];
}

/**
 * What one route accepts and answers, in the zod schemas that also validate it.
 * `/openapi.json` is generated from these; the route handler validates with the same schemas.
 */
export interface RouteContract {
  method: Method;
  /** OpenAPI-style path: `/messages/{id}`. */
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Needs an API key (admin: an admin key). */
  auth?: "key" | "admin";
  request?: { body?: z.ZodType; params?: z.ZodObject; query?: z.ZodObject };
  responses: Record<number, ResponseContract>;
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
  429: "Rate limited; see Retry-After",
  500: "Unexpected failure or invalid configuration",
  502: "Every provider answered badly",
  503: "Nothing available to answer (no provider, auth not configured, cache down)",
  504: "The provider did not answer in time",
};

/** Responses for the given error statuses, all in the error envelope. */
export function errorResponses(...statuses: number[]): Record<number, ResponseContract> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? "Error", schema: ErrorEnvelopeSchema },
    ]),
  );
}
