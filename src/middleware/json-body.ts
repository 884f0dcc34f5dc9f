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
    const header = c.req.header("content-length");
    const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    if (declared !== undefined && declared > options.maxBytes) throw tooLarge();
    const text = await readWithin(c, options.maxBytes, tooLarge, declared);
    // `c.req.json()` (and so the contract's validator) parses this text instead of reading the body
    // again. Hono keeps the *promise* of each read in `bodyCache`, though its type names the value.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return next();
  };
}

/**
 * The body as text, at most `maxBytes`. With a Content-Length within the limit the runtime reads it in
 * one call (it holds the body to that length); without one, chunks are counted as they arrive.
 */
async function readWithin(
  c: Context,
  maxBytes: number,
  tooLarge: () => ApiError,
  declared: number | undefined,
): Promise<string> {
  const request = c.req.raw;
  if (!request.body) return "";
  try {
    if (declared !== undefined) return await request.text();
    return await readCounted(request.body, maxBytes, tooLarge);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (request.signal.aborted)
      throw new ApiError(503, "request_cancelled", "The client went away while sending the request");
    throw new ApiError(400, "invalid_request", "The request body ended before it was complete");
  }
}

async function readCounted(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => ApiError,
): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
