import { withConversationScore } from "../analysis";
import type { ChatTurn } from "../providers";
import type { ChatResponse, StoredMessage, Turn } from "../schemas/chat";
import type { Services } from "../services";
import type { PreparedChat } from "./prepare";
import { publish, status } from "./room-progress";
import { scoreText } from "./score";

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
        ...chat.turns.map(toHistoryTurn),
        {
          role: "assistant",
          content: response.message,
          ...(response.toolCalls ? { toolCalls: response.toolCalls } : {}),
        },
      ],
      owner: chat.owner,
      position: chat.startedAt,
    }),
  );

  if (afterPartials) await afterPartials;
  // Without a room and with the score already made, nothing is left to do.
  if (!services.rooms && chat.request.metrics !== "async") return;
  let metrics = response.metrics;
  const scoreLater = chat.request.metrics === "async" && response.metricsStatus !== "skipped";
  if (scoreLater) {
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
  const unscored = chat.request.metrics !== "off" && response.metricsStatus !== "skipped" && !metrics;
  await publish(chat, services, status(chat, unscored ? "error" : "done"));
}

/**
 * A turn as the history keeps it: its text and tool fields. Images stay out (the history is text,
 * kept small; a later request that needs them sends them again).
 */
function toHistoryTurn({ role, content, toolCalls, toolCallId }: ChatTurn): Turn {
  return {
    role,
    content,
    ...(toolCalls ? { toolCalls } : {}),
    ...(toolCallId === undefined ? {} : { toolCallId }),
  };
}
