import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../lib/errors";

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * Guards a JSON route: 415 unless the body is declared JSON, 413 past `maxBytes` (whether or not
 * the client sent a Content-Length).
 *
 * @example
 * app.use("/chat", jsonBody({ maxBytes: 256 * 1024 }));
 */
export function jsonBody(options: { maxBytes: number }): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: options.maxBytes,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `The request body is larger than ${options.maxBytes} bytes`,
      );
    },
  });
  return async (c, next) => {
    if (c.req.method !== "POST" && c.req.method !== "PUT" && c.req.method !== "PATCH") return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        "Send the body as JSON with Content-Type: application/json",
      );
    }
    return limit(c, next);
  };
}
