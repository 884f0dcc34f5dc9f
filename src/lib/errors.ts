import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable snake_case error codes the API answers with. */
export type ErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "budget_exceeded"
  | "provider_error"
  | "provider_unavailable"
  | "provider_timeout"
  | "service_unavailable"
  | "auth_not_configured"
  | "invalid_configuration"
  | "request_cancelled"
  | "internal_error";

/**
 * The one error type of the service: a status, a stable code and a human-readable detail.
 * Thrown anywhere; turned into the `{status:"error", error, details}` envelope in one place.
 *
 * @example
 * throw new ApiError(404, "not_found", `No message with id ${id}`);
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    readonly details: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(details);
    this.name = "ApiError";
  }
}

/** A thrown value's class name, for logs: never its message, which can quote upstream text. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
