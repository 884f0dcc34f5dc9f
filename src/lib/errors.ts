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

/**
 * A 400 about one request field. `/v1` answers it with the field as OpenAI's `param`
 * (`messages.2.content`, `tool_choice`, a header name); `/chat` as its usual envelope.
 */
export class InvalidParamError extends ApiError {
  constructor(
    readonly param: string,
    details: string,
  ) {
    super(400, "invalid_request", details);
  }
}

/**
 * An error OpenAI has a code of its own for (`model_not_found`, `context_length_exceeded`): `/chat`
 * answers the stable code, `/v1` OpenAI's, with `param` naming the field at fault.
 */
export class OpenAICodedError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    details: string,
    readonly openAICode: string,
    readonly param: string | null,
  ) {
    super(status, code, details);
  }
}

/** A model that no configured provider offers (or that the provider says it does not have). */
export class ModelNotFoundError extends OpenAICodedError {
  constructor(details: string) {
    super(404, "not_found", details, "model_not_found", "model");
  }
}

/** A thrown value's class name, for logs: never its message, which can quote upstream text. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
