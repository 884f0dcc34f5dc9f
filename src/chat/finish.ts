import { withConversationScore } from "../analysis";
import { errorName } from "../lib/errors";
import type { Completion } from "../providers";
import type { ChatResponse, StoredMessage } from "../schemas/chat";
import type { Metrics } from "../schemas/metrics";
import type { CHAT_PROGRESS_STATES, RoomMessage } from "../schemas/room";
import type { Services } from "../services";
import { recordChatUsage, usageOfAnswer } from "../usage/chat-hooks";
import { recalledInto, rememberAnswer } from "./memory";
import type { PreparedChat } from "./prepare";
import { scoreText } from "./score";

export type WaitUntil = (promise: Promise<unknown>) => void;

export interface Reply extends Completion {
  provider: ChatResponse["provider"];
  providerMs: number;
}

/** What a streamed reply brings to its finish. */
export interface StreamedFinish {
  /** Settles when the last partial metrics reached the room: the final one must not be overtaken. */
  afterPartials?: Promise<void>;
  /** The reply's local metrics, already made by the partial analysis from its running sums. */
  localMetrics?: () => Metrics;
}

/**
 * Turns a model reply into the API answer: scores it (now, later or never, as the request asks),
 * then writes the message, metrics and history in one pipelined cache call and tells the room —
 * both after the answer, in `waitUntil`, so the client never waits on them. The room's final metrics
 * message waits for the partials of a streamed reply. When the local analyzer is the one that
 * scores, a streamed reply's final metrics come from its partial analysis (equal to analysing the
 * whole text, without reading it again).
 */
export async function finishChat(
  chat: PreparedChat,
  reply: Reply,
  services: Services,
  waitUntil: WaitUntil,
  streamed: StreamedFinish = {},
): Promise<ChatResponse> {
  const mode = chat.request.metrics;
  let metrics: Metrics | null = null;
  let analysisMs: number | null = null;
  let metricsStatus: ChatResponse["metricsStatus"] = mode === "off" ? "off" : "pending";
  if (mode === "sync") {
    const started = Date.now();
    metrics = withConversationScore(
      fromPartials(streamed, services) ??
        (await scoreText(reply.text, services, { prompt: chat.request.message, owner: chat.owner })),
      chat.completion.messages,
      reply.text,
    );
    analysisMs = Date.now() - started;
    metricsStatus = metrics ? "ready" : "failed";
  }

  const usage = usageOfAnswer(chat, services, reply);
  const response: ChatResponse = {
    id: chat.messageId,
    message: reply.text,
    metrics,
    metricsStatus,
    conversationId: chat.conversationId,
    provider: reply.provider,
    model: reply.model,
    usage,
    timings: { totalMs: Date.now() - chat.startedAt, providerMs: reply.providerMs, analysisMs },
    ...recalledInto(chat),
  };

  recordChatUsage(chat, services, waitUntil, {
    outcome: "answered",
    provider: reply.provider,
    model: reply.model,
    usage,
    humanLikenessScore: metrics?.human_likeness_score,
    isAiGenerated: metrics?.is_ai_generated,
  });
  waitUntil(persistAndBroadcast(chat, response, services, streamed.afterPartials));
  if (chat.memory) waitUntil(rememberAnswer(chat, response, services));
  return response;
}

/** A streamed reply's metrics from its partial analysis, when the local analyzer scores; else undefined. */
function fromPartials(streamed: StreamedFinish, services: Services): Metrics | undefined {
  if (!streamed.localMetrics || services.analyzer.primary !== "local") return undefined;
  try {
    return streamed.localMetrics();
  } catch (error) {
    services.log({ msg: "analysis_failed", reason: errorName(error) }, "warn");
    return undefined;
  }
}

/** Caches the message, metrics and history, and tells the room (metrics, then done). */
export async function persistAndBroadcast(
  chat: PreparedChat,
  response: ChatResponse,
  services: Services,
  afterPartials?: Promise<void>,
): Promise<void> {
  const { store, writes } = services;
  const record: StoredMessage = {
    id: response.id,
    conversationId: response.conversationId,
    prompt: chat.request.message,
    message: response.message,
    provider: response.provider,
    model: response.model,
    usage: response.usage,
    createdAt: new Date(chat.startedAt).toISOString(),
  };
  await writes.run("saveExchange", () =>
    store.saveExchange({
      messageId: response.id,
      message: record,
      metrics: response.metrics,
      conversationId: response.conversationId,
      turns: [
        { role: "user", content: chat.request.message },
        { role: "assistant", content: response.message },
      ],
      owner: chat.owner,
      position: chat.startedAt,
    }),
  );

  if (afterPartials) await afterPartials;
  // Without a room and with the score already made, nothing is left to do.
  if (!services.rooms && chat.request.metrics !== "async") return;
  let metrics = response.metrics;
  if (chat.request.metrics === "async") {
    await publish(chat, services, status(chat, "analysing"));
    metrics = withConversationScore(
      await scoreText(response.message, services, { prompt: chat.request.message, owner: chat.owner }),
      chat.completion.messages,
      response.message,
    );
    const scored = metrics;
    if (scored)
      await writes.run("saveMetrics", () => store.saveMetrics(response.id, scored, response.conversationId));
  }
  // The room replays metrics messages: a conversation deleted meanwhile must not get one back.
  const deleted =
    metrics && services.rooms && (await store.isDeleted(response.conversationId).catch(() => false));
  if (metrics && !deleted) {
    await publish(chat, services, {
      type: "metrics",
      data: { messageId: response.id, conversationId: response.conversationId, metrics, partial: false },
    });
  }
  await publish(chat, services, status(chat, chat.request.metrics !== "off" && !metrics ? "error" : "done"));
}

/** Sends a message to the conversation's room; a room that is down is logged, never fatal. */
export async function publish(chat: PreparedChat, services: Services, message: RoomMessage): Promise<void> {
  if (!services.rooms) return;
  await services.rooms
    .publish(chat.conversationId, message)
    .catch((error: unknown) =>
      services.log({ msg: "room_publish_failed", reason: errorName(error) }, "warn"),
    );
}

type ProgressState = (typeof CHAT_PROGRESS_STATES)[number];

function status(chat: PreparedChat, state: ProgressState): RoomMessage {
  return { type: "status", data: { messageId: chat.messageId, state } };
}

/** Tells the conversation's room how the chat is going, after the answer (no-op without rooms). */
export function announce(
  chat: PreparedChat,
  services: Services,
  state: ProgressState,
  waitUntil: WaitUntil,
): void {
  if (services.rooms) waitUntil(publish(chat, services, status(chat, state)));
}
