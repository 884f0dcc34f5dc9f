import { withConversationScore } from "../analysis";
import { errorName } from "../lib/errors";
import type { ChatResponse } from "../schemas/chat";
import type { Metrics } from "../schemas/metrics";
import type { Services } from "../services";
import { recordChatUsage, usageOfAnswer } from "../usage/chat-hooks";
import { persistAndBroadcast } from "./deliver";
import { recalledInto, rememberAnswer } from "./memory";
import type { PreparedChat } from "./prepare";
import { scoreText } from "./score";
import type { Reply, WaitUntil } from "./types";

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
  const skipped = mode === "off" ? undefined : unscorable(reply);
  if (skipped) metricsStatus = "skipped";
  else if (mode === "sync") {
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
    ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}),
    metrics,
    metricsStatus,
    ...(skipped ? { metricsReason: skipped } : {}),
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

/**
 * Why a reply cannot be scored, if it cannot: only the assistant's text is scored, and a reply with
 * no text (only tool calls) has nothing to score.
 */
function unscorable(reply: Reply): string | undefined {
  if (reply.text.trim() !== "") return undefined;
  return reply.toolCalls?.length ? "the reply has no text, only tool calls" : "the reply has no text";
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
