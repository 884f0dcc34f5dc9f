import { createParser } from "eventsource-parser";
import { withTraceparent } from "../telemetry/trace";
import { UpstreamAttempt } from "./attempt";
import { errorFromResponse, errorFromThrown, ProviderError } from "./errors";

export interface UpstreamCall {
  provider: string;
  url: string;
  init: RequestInit;
  signal: AbortSignal;
  /** Abort when no response headers arrived within this many milliseconds. */
  firstByteMs: number;
}

/**
 * Sends one request upstream and returns the response once its headers arrive; a non-2xx answer,
 * a network failure, a first-byte timeout or an abort is thrown as a classified ProviderError.
 * Inside the provider chain the try's limits come with `signal`; a call outside it (say, listing
 * models) gets limits of its own for the duration of the call.
 */
export async function callUpstream({
  provider,
  url,
  init,
  signal,
  firstByteMs,
}: UpstreamCall): Promise<Response> {
  const chained = UpstreamAttempt.of(signal);
  const attempt = chained ?? new UpstreamAttempt(signal, Date.now() + firstByteMs);
  attempt.expectHeaders(provider, firstByteMs);
  try {
    const headers = withTraceparent(init.headers as Record<string, string> | undefined, signal);
    const response = await fetch(url, { ...init, headers, signal: attempt.signal });
    attempt.headersArrived();
    if (!response.ok) throw await errorFromResponse(provider, response);
    return response;
  } catch (error) {
    throw errorFromThrown(provider, error, attempt.signal);
  } finally {
    if (!chained) attempt.release();
  }
}

/** Parses a JSON body against a guard, throwing a bad_response ProviderError when it does not fit. */
export async function readJson<T>(
  provider: string,
  response: Response,
  parse: (value: unknown) => { success: true; data: T } | { success: false },
): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  const result = parse(body);
  if (!result.success) throw new ProviderError("bad_response", `${provider} sent a response we cannot read`);
  return result.data;
}

/**
 * Reads a byte stream as text, handing each piece to `take`, which yields what it makes of it; the
 * stream is cancelled when the consumer stops early. One generator per stream: every layer of
 * async generators costs promises and a hop per chunk.
 */
async function* readDecoded<T>(
  body: ReadableStream<Uint8Array>,
  take: (text: string, last: boolean) => Iterable<T>,
): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        yield* take(decoder.decode(), true);
        return;
      }
      yield* take(decoder.decode(value, { stream: true }), false);
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/** Splits a byte stream into text lines (for NDJSON), dropping empty lines. */
export function readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  return readDecoded(body, function* (text, last) {
    buffered += text;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield line;
      newline = buffered.indexOf("\n");
    }
    if (last && buffered.trim()) yield buffered.trim();
  });
}

/** The `data` of each Server-Sent Event in a byte stream, parsed by eventsource-parser. */
export function readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  return readDecoded(body, (text) => {
    if (text) parser.feed(text);
    return pending.splice(0);
  });
}
