import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../lib/errors";

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;

/**
 * Guards a JSON route: 415 unless the body is declared JSON, 413 past `maxBytes` (whether or not
 * the client sent a Content-Length), and reads the body once, here, so that a body that ends early
 * (a client that went away, a chunked or Content-Length body cut short) is a 400 — or, when the
 * client is gone and no one hears the answer, a quiet cancel — never a 500 further down.
 *
 * @example
 * app.use("/chat", jsonBody({ maxBytes: 256 * 1024 }));
 */
export function jsonBody(options: { maxBytes: number }): MiddlewareHandler {
  const tooLarge = () =>
    new ApiError(413, "payload_too_large", `The request body is larger than ${options.maxBytes} bytes`);
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
    if (Number(c.req.header("content-length") ?? 0) > options.maxBytes) throw tooLarge();
    const body = await readWithin(c, options.maxBytes, tooLarge);
    c.req.raw = new Request(c.req.raw, { body });
    return next();
  };
}

async function readWithin(
  c: Context,
  maxBytes: number,
  tooLarge: () => ApiError,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (c.req.raw.signal.aborted)
      throw new ApiError(503, "request_cancelled", "The client went away while sending the request");
    throw new ApiError(400, "invalid_request", "The request body ended before it was complete");
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
