import { CacheUnavailableError } from "../cache";
import { ApiError } from "../lib/errors";
import { newConversationId, newMessageId } from "../lib/ids";
import type { ChatTurn, Provider, ProviderName } from "../providers";
import type { CompletionRequest } from "../providers/types";
import type { ChatRequest } from "../schemas/chat";
import type { Services } from "../services";
import type { ChatMemory } from "./memory";

/** Everything decided before the model is asked: ids, the providers to try, the messages to send. */
export interface PreparedChat {
  messageId: string;
  conversationId: string;
  request: ChatRequest;
  providers: Provider<ProviderName>[];
  completion: CompletionRequest;
  startedAt: number;
  /** Memory and semantic-cache state of this request (`chat/memory.ts`), when the server has memory. */
  memory?: ChatMemory;
}

/**
 * Validates the request against the configuration, loads the conversation history from the cache
 * (one round trip, skipped when the cache is down), and trims the context to the configured budget.
 */
export async function prepareChat(request: ChatRequest, services: Services): Promise<PreparedChat> {
  const { config, store, log } = services;
  const providers = request.provider
    ? services.providers.filter((provider) => provider.name === request.provider)
    : services.providers;
  if (request.provider && providers.length === 0) {
    throw new ApiError(
      400,
      "invalid_request",
      `provider: "${request.provider}" is not configured on this server`,
    );
  }
  const conversationId = request.conversationId ?? newConversationId();

  let context: ChatTurn[] = request.context ?? [];
  if (!request.context && request.conversationId) {
    context = await store.loadHistory(request.conversationId).catch((error: unknown) => {
      if (!(error instanceof CacheUnavailableError)) throw error;
      log({ msg: "history_skipped", reason: "cache_unavailable" }, "warn");
      return [];
    });
  }
  if (context.length > config.limits.contextTurns) {
    throw new ApiError(
      400,
      "invalid_request",
      `context: at most ${config.limits.contextTurns} turns are allowed`,
    );
  }
  const messages = [...withinBudget(context, config.limits.contextChars - request.message.length)];
  messages.push({ role: "user", content: request.message });

  return {
    messageId: newMessageId(),
    conversationId,
    request,
    providers,
    completion: {
      messages,
      model: request.model,
      temperature: request.temperature,
      maxTokens:
        request.maxTokens === undefined ? undefined : Math.min(request.maxTokens, config.maxTokensCap),
    },
    startedAt: Date.now(),
  };
}

/** Keeps the newest turns whose text fits in `budget` characters. */
function withinBudget(turns: readonly ChatTurn[], budget: number): ChatTurn[] {
  const kept: ChatTurn[] = [];
  let used = 0;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index] as ChatTurn;
    if (used + turn.content.length > budget) break;
    used += turn.content.length;
    kept.push(turn);
  }
  return kept.reverse();
}
