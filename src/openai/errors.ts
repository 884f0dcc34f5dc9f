import { type ApiError, type ErrorCode, OpenAICodedError } from "../lib/errors";
import type { ErrorRenderer } from "../types";
import type { OpenAIError } from "./schemas";

/** OpenAI's `error.type` for each status; SDKs pick their error class from the status alone. */
const TYPE_BY_STATUS: Partial<Record<number, string>> = {
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
};

/** OpenAI's code where it has one for ours; the others keep ours. */
const OPENAI_CODES: Partial<Record<ErrorCode, string>> = {
  rate_limited: "rate_limit_exceeded",
  unauthorized: "invalid_api_key",
};

/**
 * An error in OpenAI's shape, `{"error": {message, type, code, param}}`, with the same status,
 * headers (`Retry-After`, `WWW-Authenticate`) as the envelope `/chat` answers with, and OpenAI's code
 * where it has one (`rate_limit_exceeded`, `invalid_api_key`, `model_not_found`,
 * `context_length_exceeded`; else `/chat`'s stable code), so OpenAI SDKs raise `BadRequestError`,
 * `AuthenticationError`, `RateLimitError` and so on.
 *
 * @example
 * toOpenAIErrorBody(new ApiError(429, "rate_limited", "Over 60 chat requests a minute"));
 * // { error: { message: "Over 60 …", type: "rate_limit_error", code: "rate_limit_exceeded", param: null } }
 */
export function toOpenAIErrorBody(error: ApiError): OpenAIError {
  // A spent budget is OpenAI's "insufficient_quota" (429), which SDKs and agents know not to retry at once.
  if (error.code === "budget_exceeded") {
    return {
      error: { message: error.details, type: "insufficient_quota", code: "insufficient_quota", param: null },
    };
  }
  const type =
    TYPE_BY_STATUS[error.status] ?? (error.status >= 500 ? "server_error" : "invalid_request_error");
  const param = "param" in error && typeof error.param === "string" ? error.param : null;
  const code =
    error instanceof OpenAICodedError ? error.openAICode : (OPENAI_CODES[error.code] ?? error.code);
  return { error: { message: error.details, type, code, param } };
}

/** Renders an error of a `/v1` request in OpenAI's shape, with the error's headers. */
export const renderOpenAIError: ErrorRenderer = (c, error) => {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(toOpenAIErrorBody(error), error.status);
};
