import type { TokenUsage } from "../providers/types";
import type { Services } from "../services";
import type { ChatUsage } from "./index";
import type { UsageOutcome } from "./ledger";

/**
 * The chat path's two accounting points, kept to one call each: {@link usageOfAnswer} when an answer
 * is complete (its tokens and cost go into the response), and {@link recordChatUsage} when a chat
 * ends in any way (answered, failed, cancelled, answered from the semantic cache).
 */
export interface AccountedChat {
  messageId: string;
  conversationId: string;
  /** The API key's name; undefined when auth is off. */
  owner: string | undefined;
  startedAt: number;
  completion: { messages: ReadonlyArray<{ content: string }>; model?: string };
  providers: ReadonlyArray<{ name: string; defaultModel: string }>;
}

function promptChars(chat: AccountedChat): number {
  let chars = 0;
  for (const message of chat.completion.messages) chars += message.content.length;
  return chars;
}

/** After the answer: its tokens as the provider reported them (else estimated, and marked) and its cost. */
export function usageOfAnswer(
  chat: AccountedChat,
  services: Services,
  served: { provider: string; model: string; usage: TokenUsage | null; text: string },
): ChatUsage {
  return services.usage.measure(served, served.usage, {
    promptChars: promptChars(chat),
    completion: served.text,
  });
}

export interface ChatEnd {
  outcome: UsageOutcome;
  /** The provider and model that served; the first candidate when none answered. */
  provider?: string;
  model?: string;
  /** The answer's usage; for a stream that ended early, estimated from `partialText`. */
  usage?: ChatUsage | null;
  partialText?: string;
  humanLikenessScore?: number | null;
  isAiGenerated?: boolean;
}

/**
 * After the answer, a failure or a cancellation: counts the chat under its key × model × day (in
 * `waitUntil`, retried and idempotent by message id) and puts its cost and score on the trace.
 */
export function recordChatUsage(
  chat: AccountedChat,
  services: Services,
  waitUntil: (work: Promise<unknown>) => void,
  end: ChatEnd,
): ChatUsage {
  const candidate = chat.providers.find((entry) => entry.name === end.provider) ?? chat.providers[0];
  const provider = end.provider ?? candidate?.name ?? "none";
  const model = end.model ?? chat.completion.model ?? candidate?.defaultModel ?? "none";
  const usage =
    end.usage ??
    (end.outcome === "cache_hit"
      ? { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 }
      : usageOfAnswer(chat, services, { provider, model, usage: null, text: end.partialText ?? "" }));
  const score = end.humanLikenessScore ?? null;
  annotateTrace(services, chat, end, usage, provider, model);
  waitUntil(
    services.usage.record({
      id: chat.messageId,
      key: chat.owner ?? "anonymous",
      provider,
      model,
      outcome: end.outcome,
      tokens: { ...usage, estimated: usage.estimated === true },
      costUsd: usage.cost,
      latencyMs: Date.now() - chat.startedAt,
      humanLikenessScore: score,
      at: Date.now(),
    }),
  );
  return usage;
}

function annotateTrace(
  services: Services,
  chat: AccountedChat,
  end: ChatEnd,
  usage: ChatUsage,
  provider: string,
  model: string,
) {
  const trace = services.telemetry.trace;
  if (!trace) return;
  const attributes = {
    "gen_ai.conversation.id": chat.conversationId,
    "neon_nexus.key": chat.owner,
    "neon_nexus.outcome": end.outcome,
    "neon_nexus.cost_usd": usage.cost,
    "neon_nexus.human_likeness_score": end.humanLikenessScore ?? undefined,
    "neon_nexus.is_ai_generated": end.isAiGenerated,
    "gen_ai.provider.name": provider,
    "gen_ai.response.model": model,
    "gen_ai.usage.input_tokens": usage.promptTokens,
    "gen_ai.usage.output_tokens": usage.completionTokens,
  };
  trace.root.set(attributes);
  const served = trace.served;
  if (served) {
    served.set(attributes);
    if (served.record.endMs === undefined) served.record.endMs = Date.now();
  }
}

/**
 * Counts one call that is not a chat — a Neo analysis (`neo/analyze`) or an embedding — with its
 * prompt tokens estimated from the text (neither reports tokens here) and its price from the table.
 *
 * @example
 * recordCallUsage(services, waitUntil, { served: { provider: "neo", model: "analyze" }, id, owner, promptChars, humanLikenessScore: 42, startedAt });
 */
export function recordCallUsage(
  services: Services,
  waitUntil: (work: Promise<unknown>) => void,
  call: {
    served: { provider: string; model: string };
    id: string;
    owner: string | undefined;
    promptChars: number;
    humanLikenessScore: number | null;
    startedAt: number;
  },
): void {
  const { provider, model } = call.served;
  const usage = services.usage.measure({ provider, model }, null, {
    promptChars: call.promptChars,
    completion: "",
  });
  waitUntil(
    services.usage.record({
      provider,
      model,
      id: call.id,
      key: call.owner ?? "anonymous",
      outcome: "answered",
      tokens: { ...usage, estimated: true },
      costUsd: usage.cost,
      latencyMs: Date.now() - call.startedAt,
      humanLikenessScore: call.humanLikenessScore,
      at: Date.now(),
    }),
  );
}
