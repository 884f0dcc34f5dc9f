import type { z } from "@hono/zod-openapi";
import { ErrorEnvelopeSchema } from "../schemas/common";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid JSON or fields (details name them)",
  401: "Missing or wrong API key",
  403: "The key may not do this",
  404: "Unknown id or route",
  405: "Method not allowed on this path",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Rate limited; see Retry-After",
  500: "Unexpected failure or invalid configuration",
  502: "Every provider answered badly",
  503: "Nothing available to answer (no provider, auth not configured, cache down)",
  504: "The provider did not answer in time",
};

/** `{ "application/json": { schema } }`, the content entry of a JSON request or response. */
export function jsonContent<T extends z.ZodType>(schema: T) {
  return { "application/json": { schema } };
}

/** OpenAPI responses for the given error statuses, all in the error envelope. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status] ?? "Error", content: jsonContent(ErrorEnvelopeSchema) },
    ]),
  ) as Record<S, { description: string; content: ReturnType<typeof jsonContent<typeof ErrorEnvelopeSchema>> }>;
}
