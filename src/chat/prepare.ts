import { CacheUnavailableError } from "../cache";
import { ApiError } from "../lib/errors";
import { newConversationId, newMessageId } from "../lib/ids";
import type { ChatTurn, Provider, ProviderName } from "../providers";
import type { CompletionOptions, CompletionRequest } from "../providers/types";
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
  /** The API key name the exchange is bound to; undefined when auth is off. */
  owner: string | undefined;
  /** Memory and semantic-cache state of this request (`chat/memory.ts`), when the server has memory. */
  memory?: ChatMemory;
}

/**
 * Validates the request against the configuration, loads the conversation history from the cache
 * (one round trip, skipped when the cache is down), and trims the context to the configured budget.
 * With an `owner` (auth on), a named conversation must be one issued to that owner: another key's,
 * or an id never issued (ids are the server's), is a 404, and one whose owner cannot be checked because the
 * cache is down is not continued: the chat starts a fresh conversation instead.
 */
export async function prepareChat(
  request: ChatRequest,
  services: Services,
  owner: string | undefined,
  how: {
    /** Provider settings beyond the chat request's fields. */
    options?: CompletionOptions;
    /** Load the history of `conversationId` also when `context` is given: system turns, history, the rest. */
    historyWithContext?: boolean;
  } = {},
): Promise<PreparedChat> {
  const { config } = services;
  const providers = await providersFor(request, services);
  const { conversationId, history } = await openConversation(
    request,
    services,
    owner,
    how.historyWithContext,
  );
  const context: ChatTurn[] = !request.context
    ? history
    : [
        ...request.context.filter((turn) => turn.role === "system"),
        ...history,
        ...request.context.filter((turn) => turn.role !== "system"),
      ];
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
      maxTokensCap: config.maxTokensCap,
      ...(how.options ? { options: how.options } : {}),
    },
    startedAt: Date.now(),
    owner,
  };
}

/**
 * The providers to ask: the one the request names, or every configured one — only those that offer
 * the model when the request names a model but no provider (from their cached model lists).
 */
async function providersFor(request: ChatRequest, services: Services): Promise<Provider<ProviderName>[]> {
  if (request.provider) {
    const named = services.providers.filter((provider) => provider.name === request.provider);
    if (named.length === 0) {
      throw new ApiError(
        400,
        "invalid_request",
        `provider: "${request.provider}" is not configured on this server`,
      );
    }
    return named;
  }
  if (request.model === undefined || services.providers.length === 0) return services.providers;
  const offering = await services.models.offering(services.providers, request.model);
  if (offering.length === 0) {
    throw new ApiError(
      404,
      "not_found",
      `model: "${request.model}" is not offered by any configured provider (see GET /models)`,
    );
  }
  return offering;
}

/** The conversation the chat belongs to, and its history when the request sent no `context` (or asks for both). */
async function openConversation(
  request: ChatRequest,
  { store, log }: Services,
  owner: string | undefined,
  historyWithContext = false,
): Promise<{ conversationId: string; history: ChatTurn[] }> {
  const named = request.conversationId;
  if (named === undefined) return { conversationId: newConversationId(), history: [] };
  const wantsHistory = request.context === undefined || historyWithContext;
  const skipped = (error: unknown) => {
    if (!(error instanceof CacheUnavailableError)) throw error;
    log({ msg: "history_skipped", reason: "cache_unavailable" }, "warn");
    return undefined;
  };
  if (owner === undefined) {
    const history = wantsHistory ? await store.loadHistory(named).catch(skipped) : [];
    return { conversationId: named, history: history ?? [] };
  }
  const claim = await store.readOwnedConversation(named, owner, wantsHistory).catch(skipped);
  if (!claim) return { conversationId: newConversationId(), history: [] };
  if (!claim.owned) {
    throw new ApiError(
      404,
      "not_found",
      `No conversation with id ${named} for this API key; omit conversationId to start a new one`,
    );
  }
  return { conversationId: named, history: claim.turns };
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
