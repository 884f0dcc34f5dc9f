import { EventSourceParserStream } from "eventsource-parser/stream";
import type * as z from "zod";
import type { ChatRequestSchema, ChatResponse } from "../schemas/chat";
import type { PartialMetricsEvent } from "../schemas/partial-metrics";
import { type ErrorEnvelope, errorFromResponse, NexusApiError } from "./errors";

/** What `POST /chat` accepts (fields with defaults may be left out). */
export type ChatInput = Omit<z.input<ReturnType<typeof ChatRequestSchema>>, "stream">;

/**
 * One event of a streamed chat, in the order they arrive: `start`, `delta`… (with a `metrics` event,
 * the score of the reply so far, every N words among them), then `done` with the final metrics.
 */
export type ChatStreamEvent =
  | { type: "start"; id: string; conversationId: string; provider: ChatResponse["provider"] }
  | { type: "delta"; text: string }
  | ({ type: "metrics" } & PartialMetricsEvent)
  | { type: "done"; response: ChatResponse };

export interface HttpOptions {
  baseUrl: string;
  apiKey?: string;
  fetch: typeof fetch;
}

/** Sends a JSON request to the API and returns the parsed body, or throws a {@link NexusApiError}. */
export async function requestJson<T>(
  http: HttpOptions,
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await send(http, path, { ...init, accept: "application/json" });
  return (await response.json()) as T;
}

/**
 * Sends a chat with `stream: true` and yields the Server-Sent Events as they arrive. An `error`
 * event (the provider failed after the answer had started) is thrown as a {@link NexusApiError}.
 */
export async function* streamChat(
  http: HttpOptions,
  request: ChatInput,
  signal?: AbortSignal,
): AsyncGenerator<ChatStreamEvent, void, undefined> {
  const response = await send(http, "/chat", {
    method: "POST",
    body: { ...request, stream: true },
    signal,
    accept: "text/event-stream",
  });
  if (!response.body)
    throw new NexusApiError(null, { error: "unexpected_response", details: "no response body" });
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const { event, data } = next.value;
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === "start")
        yield { type: "start", ...(payload as Omit<Extract<ChatStreamEvent, { type: "start" }>, "type">) };
      else if (event === "delta") yield { type: "delta", text: String(payload.text ?? "") };
      else if (event === "metrics") yield { type: "metrics", ...(payload as unknown as PartialMetricsEvent) };
      else if (event === "done") yield { type: "done", response: payload as unknown as ChatResponse };
      else if (event === "error") throw new NexusApiError(null, payload as unknown as ErrorEnvelope);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function send(
  http: HttpOptions,
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal; accept: string },
): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (http.apiKey) headers.authorization = `Bearer ${http.apiKey}`;
  const response = await http.fetch(`${http.baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}
