import { createParser } from "eventsource-parser";
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
    const response = await fetch(url, { ...init, signal: attempt.signal });
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

/** Reads a byte stream as text chunks, cancelling it when the consumer stops early. */
async function* readText(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        const rest = decoder.decode();
        if (rest) yield rest;
        return;
      }
      yield decoder.decode(value, { stream: true });
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/** Splits a byte stream into text lines (for NDJSON), dropping empty lines. */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of readText(body)) {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield line;
      newline = buffered.indexOf("\n");
    }
  }
  if (buffered.trim()) yield buffered.trim();
}

/** The `data` of each Server-Sent Event in a byte stream, parsed by eventsource-parser. */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  for await (const chunk of readText(body)) {
    parser.feed(chunk);
    for (const data of pending.splice(0)) yield data;
  }
}
