import { CacheUnavailableError } from "../cache";
import { ApiError, InvalidParamError, ModelNotFoundError } from "../lib/errors";
import { newConversationId, newMessageId } from "../lib/ids";
import type { ChatTurn, Provider, ProviderName } from "../providers";
import type { CompletionOptions, CompletionRequest } from "../providers/types";
import type { ChatRequest } from "../schemas/chat";
import type { Services } from "../services";
import type { ChatMemory } from "./memory";

/** What a wire format adds to its chat request when preparing it. */
export interface PrepareOptions {
  /** Provider settings beyond the chat request's fields. */
  options?: CompletionOptions;
  /**
   * Load the history of `conversationId` also when `context` is given: system turns, history, the
   * rest; context turns that repeat the history (a client resending the whole conversation) are
   * not sent twice (see {@link mergeHistory}).
   */
  historyWithContext?: boolean;
  /** The turns this request adds, when they are not just `message` as the user's (tool results). */
  turns?: ChatTurn[];
}

/** Everything decided before the model is asked: ids, the providers to try, the messages to send. */
export interface PreparedChat {
  messageId: string;
  conversationId: string;
  request: ChatRequest;
  /** The turns this request adds to the conversation: the user's message, or the tools' results. */
  turns: ChatTurn[];
  /** The conversation's stored history is in `completion.messages` (memory may recall older turns). */
  historyLoaded: boolean;
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
  how: PrepareOptions = {},
): Promise<PreparedChat> {
  const { config } = services;
  const turns = how.turns ?? [{ role: "user", content: request.message }];
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
        ...mergeHistory(
          history,
          request.context.filter((turn) => turn.role !== "system"),
        ),
      ];
  if (context.length > config.limits.contextTurns) {
    throw new ApiError(
      400,
      "invalid_request",
      `context: at most ${config.limits.contextTurns} turns are allowed`,
    );
  }
  const newChars = turns.reduce((sum, turn) => sum + turn.content.length, 0);
  const messages = [...withinBudget(context, config.limits.contextChars - newChars), ...turns];
  const completion: CompletionRequest = {
    messages,
    model: request.model,
    temperature: request.temperature,
    maxTokens: request.maxTokens === undefined ? undefined : Math.min(request.maxTokens, config.maxTokensCap),
    maxTokensCap: config.maxTokensCap,
    ...(how.options ? { options: how.options } : {}),
  };

  return {
    messageId: newMessageId(),
    conversationId,
    request,
    turns,
    historyLoaded:
      request.conversationId !== undefined && (!request.context || how.historyWithContext === true),
    providers: able(await providersFor(request, services), completion),
    completion,
    startedAt: Date.now(),
    owner,
  };
}

/**
 * The providers that can honour every parameter of the request (say, `tool_choice: "required"` is
 * not for Ollama): the others are not tried. When none can, a 400 names the parameter.
 */
function able(providers: Provider<ProviderName>[], completion: CompletionRequest): Provider<ProviderName>[] {
  const refusals = providers.map((provider) => provider.refuses?.(completion));
  const kept = providers.filter((_, index) => refusals[index] === undefined);
  if (kept.length > 0 || providers.length === 0) return kept;
  const param = refusals[0] as string;
  const names = providers.map((provider) => provider.name).join(", ");
  throw new InvalidParamError(
    param,
    `${param}: not supported by ${names}, the provider(s) this request goes to`,
  );
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
    throw new ModelNotFoundError(
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

/**
 * The conversation's stored turns and the earlier turns a request sent, without the ones the client
 * resent: clients of OpenAI's API send the whole conversation every time. When the sent turns end
 * with the stored ones (all of them, as loaded), the sent turns are the conversation; when they
 * begin with the end of the stored ones, that overlap is taken once; otherwise the stored turns
 * come first, then the sent ones.
 */
export function mergeHistory(history: readonly ChatTurn[], sent: readonly ChatTurn[]): ChatTurn[] {
  if (history.length === 0) return [...sent];
  if (sent.length === 0) return [...history];
  const stored = history.map(turnKey);
  const resent = sent.map(turnKey);
  const from = resent.length - stored.length;
  if (from >= 0 && stored.every((key, index) => key === resent[from + index])) return [...sent];
  for (let overlap = Math.min(stored.length, resent.length); overlap > 0; overlap--) {
    const tail = stored.length - overlap;
    if (resent.slice(0, overlap).every((key, index) => key === stored[tail + index])) {
      return [...history, ...sent.slice(overlap)];
    }
  }
  return [...history, ...sent];
}

function turnKey(turn: ChatTurn): string {
  const calls = turn.toolCalls?.map((call) => [call.id, call.function.name, call.function.arguments]);
  return JSON.stringify([turn.role, turn.content, turn.toolCallId ?? null, calls ?? null]);
}

/**
 * Keeps the system turns and the newest other turns whose text fits in `budget` characters, in
 * their order. The system prompt is never trimmed away: when it alone exceeds the budget, the
 * request is refused. A tool result whose call was trimmed away is dropped with it.
 */
function withinBudget(turns: readonly ChatTurn[], budget: number): ChatTurn[] {
  const systemChars = turns.reduce(
    (sum, turn) => sum + (turn.role === "system" ? turn.content.length : 0),
    0,
  );
  if (systemChars > budget) {
    throw new InvalidParamError(
      "messages",
      `messages: the system turns (${systemChars} characters) and the new turns leave no room within the ` +
        `context budget; shorten the system prompt`,
    );
  }
  const keep = new Set<number>();
  let used = systemChars;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index] as ChatTurn;
    if (turn.role === "system") continue;
    if (used + turn.content.length > budget) break;
    used += turn.content.length;
    keep.add(index);
  }
  let orphan = true;
  return turns.filter((turn, index) => {
    if (turn.role === "system") return true;
    if (!keep.has(index)) return false;
    if (orphan && turn.role === "tool") return false;
    orphan = false;
    return true;
  });
}
