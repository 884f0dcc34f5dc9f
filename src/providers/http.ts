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
 */
export async function callUpstream(upstream: UpstreamCall): Promise<Response> {
  const attempt = UpstreamAttempt.of(upstream.signal);
  if (!attempt) return callWithOwnTimer(upstream);
  const { provider, url, init, signal, firstByteMs } = upstream;
  attempt.expectHeaders(provider, firstByteMs);
  try {
    const response = await fetch(url, { ...init, signal });
    attempt.headersArrived();
    if (!response.ok) throw await errorFromResponse(provider, response);
    return response;
  } catch (error) {
    throw errorFromThrown(provider, error, signal);
  }
}

/** A call outside the chain (say, listing models): its own controller and first-byte timer. */
async function callWithOwnTimer({
  provider,
  url,
  init,
  signal,
  firstByteMs,
}: UpstreamCall): Promise<Response> {
  const call = linkedController(signal);
  const timer = setTimeout(
    () => call.abort(new DOMException(`${provider} first byte timeout`, "TimeoutError")),
    firstByteMs,
  );
  try {
    const response = await fetch(url, { ...init, signal: call.signal });
    if (!response.ok) throw await errorFromResponse(provider, response);
    return response;
  } catch (error) {
    throw errorFromThrown(provider, error, call.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An AbortController that also aborts, with the same reason, when `parent` does: cheaper per
 * request than `AbortSignal.any`, which the hot path would otherwise call twice.
 */
export function linkedController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
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
