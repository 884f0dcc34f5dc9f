import type { ChatResponse } from "../schemas/chat";
import type { Metrics } from "../schemas/metrics";
import type { UsageReport } from "../schemas/usage";
import { type ChatInput, type ChatStreamEvent, type HttpOptions, requestJson, streamChat } from "./chat";
import {
  type ConversationHandlers,
  type ConversationWatch,
  type RoomToken,
  type WatchOptions,
  watchRoom,
} from "./rooms";

export type { ChatInput, ChatStreamEvent } from "./chat";
export { type ErrorEnvelope, NexusApiError } from "./errors";
export type { ConversationHandlers, ConversationWatch, RoomToken, WatchOptions } from "./rooms";
export type { ChatResponse, Metrics, UsageReport };

export interface NexusClientOptions {
  /** Where the API runs, e.g. `http://127.0.0.1:8000` (no trailing slash needed). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; leave out when the server runs with `AUTH_DISABLED`. */
  apiKey?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

export interface NexusClient {
  /** `POST /chat` answered as JSON: the reply and, unless `metrics` is `async` or `off`, its metrics. */
  chat(request: ChatInput, signal?: AbortSignal): Promise<ChatResponse>;
  /** `POST /chat` with `stream: true`: yields `start`, each `delta`, then `done` with the full response. */
  chatStream(request: ChatInput, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent, void, undefined>;
  /** `POST /analyze`: the metrics of any text. */
  analyze(text: string, signal?: AbortSignal): Promise<Metrics>;
  /** `GET /usage`: tokens, cost and scores by day × key × model (own key; an admin key sees all). */
  usage(query?: { from?: string; to?: string; key?: string }, signal?: AbortSignal): Promise<UsageReport>;
  /** `POST /conversations`: a new conversation id, bound to the client's key (ids are the server's when auth is on). */
  newConversation(): Promise<string>;
  /** `POST /rooms/{room}/token`: a short-lived token for one conversation's metrics room. */
  roomToken(conversationId: string): Promise<RoomToken>;
  /** Subscribes to a conversation's metrics room over partysocket with a room token. */
  watchConversation(
    conversationId: string,
    handlers: ConversationHandlers,
    options?: WatchOptions,
  ): Promise<ConversationWatch>;
}

/**
 * A small typed client for the Neon Nexus API, for browsers and Node (22+).
 * Errors the API answers with are thrown as {@link NexusApiError}.
 *
 * @example
 * const nexus = createNexusClient({ baseUrl: "http://127.0.0.1:8000" });
 * const conversationId = await nexus.newConversation();
 * const watch = await nexus.watchConversation(conversationId, { onMetrics: (m) => console.log(m.metrics) });
 * for await (const event of nexus.chatStream({ message: "Hi", conversationId }))
 *   if (event.type === "delta") process.stdout.write(event.text);
 */
export function createNexusClient(options: NexusClientOptions): NexusClient {
  const http: HttpOptions = {
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    apiKey: options.apiKey,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const roomToken = (conversationId: string) =>
    requestJson<RoomToken>(http, `/rooms/${encodeURIComponent(conversationId)}/token`, { method: "POST" });
  return {
    chat: (request, signal) =>
      requestJson<ChatResponse>(http, "/chat", { method: "POST", body: request, signal }),
    chatStream: (request, signal) => streamChat(http, request, signal),
    analyze: (text, signal) =>
      requestJson<Metrics>(http, "/analyze", { method: "POST", body: { text }, signal }),
    usage: (query = {}, signal) =>
      requestJson<UsageReport>(http, `/usage?${new URLSearchParams(query)}`, { method: "GET", signal }),
    newConversation: () =>
      requestJson<{ id: string }>(http, "/conversations", { method: "POST" }).then(({ id }) => id),
    roomToken,
    watchConversation: (conversationId, handlers, watchOptions) =>
      watchRoom(conversationId, () => roomToken(conversationId), handlers, watchOptions),
  };
}
