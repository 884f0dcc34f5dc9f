import type { Context } from "hono";
import { ApiError } from "../lib/errors";
import { eventStream } from "../lib/event-stream";
import type { StreamEvent, ToolCallDelta } from "../providers";
import { errorFromThrown } from "../providers/errors";
import type { TokenLogprob } from "../providers/types";
import type { ChatResponse } from "../schemas/chat";
import type { PartialMetricsEvent } from "../schemas/partial-metrics";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { recordChatUsage } from "../usage/chat-hooks";
import type { OpenedStream } from "./ask";
import { finishChat } from "./finish";
import { trackPartialMetrics } from "./partial-metrics";
import type { PreparedChat } from "./prepare";
import { announce } from "./room-progress";
import { ToolCallAssembler } from "./tool-calls";
import type { Reply, WaitUntil } from "./types";

/** How one API family writes a streamed answer: each function returns whole SSE events. */
export interface StreamFormat {
  start(): string;
  delta(text: string, logprobs?: TokenLogprob[]): string;
  /** A piece of a tool call; the first piece of each call carries its id and name. */
  toolCall(delta: ToolCallDelta): string;
  /** The score of the reply so far (every N words while it streams); "" when the client does not take them. */
  partial(event: PartialMetricsEvent): string;
  /** The events that close a complete answer. */
  done(answer: ChatResponse, end: { finishReason: string | null; systemFingerprint?: string }): string[];
  error(error: ApiError): string;
}

const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `/chat`'s events: `start` (ids and provider), a `delta` per upstream chunk, a `metrics` event every
 * N words with the score so far (see `trackPartialMetrics`), then `done` carrying the same object as
 * the JSON answer — or `error` carrying the envelope.
 */
export function chatEvents(chat: PreparedChat, provider: OpenedStream["provider"]): StreamFormat {
  return {
    start: () => sseEvent("start", { id: chat.messageId, conversationId: chat.conversationId, provider }),
    delta: (text) => sseEvent("delta", { text }),
    toolCall: ({ type: _type, ...call }) => sseEvent("tool_call", call),
    partial: (event) => sseEvent("metrics", event),
    done: (answer) => [sseEvent("done", answer)],
    error: (error) => sseEvent("error", { status: "error", error: error.code, details: error.details }),
  };
}

/**
 * Answers with Server-Sent Events in `format` (`/chat`'s by default), writing each upstream chunk as
 * it arrives and the score so far every N words; the answer is scored and stored as a JSON answer
 * is, before the closing events.
 */
export function streamChat(
  c: Context<AppEnv>,
  chat: PreparedChat,
  opened: OpenedStream,
  services: Services,
  waitUntil: WaitUntil,
  format: StreamFormat = chatEvents(chat, opened.provider),
): Response {
  let ended = () => {};
  c.set("streamEnd", new Promise<void>((resolve) => (ended = resolve)));
  const outcome = (streamOutcome: string) => c.set("facts", { ...c.get("facts"), streamOutcome });
  return eventStream(c, async (sse) => {
    sse.onAbort(opened.cancel);
    const send = (text: string) => {
      if (text !== "") sse.write(text);
    };
    let lastWrite = Date.now();
    const keepAlive = setInterval(() => {
      if (Date.now() - lastWrite < services.config.sseKeepAliveMs) return;
      // A comment keeps proxies from timing out, and makes workerd notice a client that went away.
      sse.write(": keep-alive\n\n");
      lastWrite = Date.now();
    }, services.config.sseKeepAliveMs);

    send(format.start());
    const partials = trackPartialMetrics(chat, services, waitUntil);
    let text = "";
    let end: Extract<StreamEvent, { type: "end" }> | undefined;
    const toolCalls = new ToolCallAssembler();
    try {
      for (let next = opened.first; !next.done; ) {
        opened.dataArrived();
        const event = next.value;
        if (event.type === "end") end = event;
        else if (event.type === "delta") {
          text += event.text;
          send(format.delta(event.text, event.logprobs));
          lastWrite = Date.now();
        } else {
          send(format.toolCall(toolCalls.add(event)));
          lastWrite = Date.now();
        }
        const following = opened.iterator.next();
        if (event.type === "delta" && partials?.add(event.text)) {
          // Scored while the next chunk is on its way, not after it arrives. (If scoring threw, the
          // read already asked for must not end up an unhandled rejection.)
          following.catch(() => undefined);
          send(format.partial(partials.score()));
        }
        next = await following;
      }
      if (!end)
        throw new ApiError(502, "provider_error", `${opened.provider} ended its stream without finishing`);
      const calls = toolCalls.calls();
      const reply: Reply = {
        ...end,
        text,
        ...(calls ? { toolCalls: calls } : {}),
        provider: opened.provider,
        providerMs: Date.now() - chat.startedAt,
      };
      c.set("facts", { ...c.get("facts"), model: reply.model, tokens: reply.usage?.totalTokens });
      const afterPartials = partials?.close();
      const answer = await finishChat(chat, reply, services, waitUntil, {
        afterPartials,
        ...(partials ? { localMetrics: partials.final } : {}),
      });
      const closing = partials ? { ...answer, partial: false as const } : answer;
      for (const event of format.done(closing, reply)) send(event);
      outcome("done");
    } catch (thrown) {
      void partials?.close();
      recordChatUsage(chat, services, waitUntil, {
        outcome: sse.aborted ? "cancelled" : "failed",
        provider: opened.provider,
        partialText: text,
      });
      if (sse.aborted) {
        outcome("client_gone");
        announce(chat, services, "cancelled", waitUntil);
        return;
      }
      const error = streamFailure(thrown, opened.provider, opened.signal);
      outcome(error.code);
      announce(chat, services, "error", waitUntil);
      send(format.error(error));
    } finally {
      clearInterval(keepAlive);
      opened.release();
      ended();
    }
  });
}

function streamFailure(thrown: unknown, provider: string, signal: AbortSignal): ApiError {
  if (thrown instanceof ApiError) return thrown;
  const failure = errorFromThrown(provider, thrown, signal);
  return failure.kind === "timeout"
    ? new ApiError(504, "provider_timeout", `${failure.message} after the answer had started`)
    : new ApiError(502, "provider_error", `${failure.message} after the answer had started`);
}
