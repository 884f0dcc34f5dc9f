import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { ApiError } from "../lib/errors";
import type { StreamEvent } from "../providers";
import { errorFromThrown } from "../providers/errors";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { announce, finishChat, type Reply, type WaitUntil } from "./finish";
import type { PreparedChat } from "./prepare";

export interface OpenedStream {
  iterator: AsyncIterator<StreamEvent>;
  first: IteratorResult<StreamEvent>;
}

/**
 * Answers with Server-Sent Events: `start` (ids and provider), a `delta` per upstream chunk as it
 * arrives, then `done` carrying the same object as the JSON answer — or `error` carrying the envelope.
 */
export function streamChat(
  c: Context<AppEnv>,
  chat: PreparedChat,
  opened: OpenedStream & { provider: Reply["provider"]; signal: AbortSignal; cancel: () => void },
  services: Services,
  waitUntil: WaitUntil,
): Response {
  const keepAliveMs = services.config.sseKeepAliveMs;
  return streamSSE(c, async (sse) => {
    sse.onAbort(opened.cancel);
    /** Waits for the next upstream event, writing an SSE comment meanwhile so a gone client is noticed. */
    const nextEvent = async () => {
      const pending = opened.iterator.next();
      for (;;) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<"tick">((resolve) => {
          timer = setTimeout(() => resolve("tick"), keepAliveMs);
        });
        const winner = await Promise.race([pending, tick]);
        if (timer !== undefined) clearTimeout(timer);
        if (winner !== "tick") return winner;
        await sse.write(": keep-alive\n\n");
        if (sse.aborted) opened.cancel();
      }
    };
    await sse.writeSSE({
      event: "start",
      data: JSON.stringify({
        id: chat.messageId,
        conversationId: chat.conversationId,
        provider: opened.provider,
      }),
    });
    let text = "";
    let end: Extract<StreamEvent, { type: "end" }> | undefined;
    try {
      for (let next = opened.first; !next.done; next = await nextEvent()) {
        const event = next.value;
        if (event.type === "end") end = event;
        else {
          text += event.text;
          await sse.writeSSE({ event: "delta", data: JSON.stringify({ text: event.text }) });
        }
      }
      if (!end)
        throw new ApiError(502, "provider_error", `${opened.provider} ended its stream without finishing`);
      const reply: Reply = {
        ...end,
        text,
        provider: opened.provider,
        providerMs: Date.now() - chat.startedAt,
      };
      c.set("facts", { ...c.var.facts, model: reply.model, tokens: reply.usage?.totalTokens });
      const response = await finishChat(chat, reply, services, waitUntil);
      await sse.writeSSE({ event: "done", data: JSON.stringify(response) });
    } catch (thrown) {
      if (sse.aborted) return;
      const error = streamFailure(thrown, opened.provider, opened.signal);
      announce(chat, services, "error", waitUntil);
      await sse.writeSSE({
        event: "error",
        data: JSON.stringify({ status: "error", error: error.code, details: error.details }),
      });
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
