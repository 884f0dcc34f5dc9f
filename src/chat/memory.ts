import type { Context } from "hono";
import { cacheScope, isCacheable, withRecalled } from "../memory";
import { callerOf } from "../middleware/caller";
import { type ChatResponse, ChatResponseSchema } from "../schemas/chat";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { recordChatUsage } from "../usage/chat-hooks";
import { persistAndBroadcast } from "./deliver";
import type { PreparedChat } from "./prepare";
import type { WaitUntil } from "./types";

/** What the chat path keeps about memory for one request (on `PreparedChat.memory`). */
export interface ChatMemory {
  /** The API key name that asks; every vector read and write is scoped to it. */
  owner: string;
  /** Set when the answer goes into the semantic cache, under this scope. */
  cacheScope?: string;
  /** The question's vector from the cache lookup, stored with the answer without embedding it twice. */
  questionEmbedding?: number[];
  /** Older exchanges recalled into the context. */
  recalled?: Array<{ messageId: string; similarity: number }>;
}

/**
 * Whose vectors a request reads and writes: the caller's owner, with the vector memory's own word
 * for "no owner" (auth off), "".
 */
export function memoryOwner(c: Context<AppEnv>): string {
  return callerOf(c).owner ?? "";
}

/**
 * Before the model is asked: a stateless question may be answered by the semantic cache (the
 * answer is returned, delivered to the cache and the room like any other); a conversation longer
 * than the history gets its most similar older exchanges recalled into the context. Does nothing
 * without memory; a store or embedder that is down only skips the step.
 *
 * @example
 * const cached = await consultMemory(chat, services, keyName, waitUntil);
 * if (cached) return c.json(cached, 200);
 */
export async function consultMemory(
  chat: PreparedChat,
  services: Services,
  owner: string,
  waitUntil: WaitUntil,
): Promise<ChatResponse | null> {
  const { memory, config } = services;
  if (!memory) return null;
  const { request } = chat;
  chat.memory = { owner };

  if (memory.settings.cache && isCacheable(request)) {
    const scope = await cacheScope({
      providers: chat.providers.map((provider) => provider.name),
      model: request.model,
      temperature: request.temperature,
      maxTokens: chat.completion.maxTokens,
      metrics: request.metrics,
    });
    const { hit, embedding } = await memory.lookup({ owner, scope, text: request.message });
    const cached = hit && ChatResponseSchema().safeParse(hit.answer);
    if (hit && cached?.success) {
      const response = fromCache(chat, cached.data, hit.similarity);
      response.usage = recordChatUsage(chat, services, waitUntil, {
        outcome: "cache_hit",
        provider: response.provider,
        model: response.model,
        humanLikenessScore: response.metrics?.human_likeness_score,
        isAiGenerated: response.metrics?.is_ai_generated,
      });
      waitUntil(persistAndBroadcast(chat, response, services));
      waitUntil(rememberAnswer(chat, response, services));
      return response;
    }
    chat.memory = { owner, cacheScope: scope, questionEmbedding: embedding };
    return null;
  }

  const { messages } = chat.completion;
  const history = messages.slice(0, messages.length - chat.turns.length);
  const added = messages.slice(messages.length - chat.turns.length);
  if (!chat.historyLoaded || added.length === 0 || history.length < config.cache.historyTurns) return null;
  const recalled = await memory.recall({ owner, conversationId: chat.conversationId, text: request.message });
  const addedChars = added.reduce((sum, turn) => sum + turn.content.length, 0);
  const { turns, used } = withRecalled(history, recalled, config.limits.contextChars - addedChars);
  chat.completion.messages = [...turns, ...added];
  if (used.length > 0)
    chat.memory.recalled = used.map(({ messageId, similarity }) => ({ messageId, similarity }));
  return null;
}

/** A cached answer as this request's: its own ids and timings, metrics as the request asks. */
function fromCache(chat: PreparedChat, answer: ChatResponse, similarity: number): ChatResponse {
  const { recalled: _recalled, ...earlier } = answer;
  return {
    ...earlier,
    id: chat.messageId,
    conversationId: chat.conversationId,
    timings: { totalMs: Date.now() - chat.startedAt, providerMs: 0, analysisMs: null },
    cache: { hit: true, similarity },
  };
}

/** The memory fields of an answer from the model: the exchanges recalled into its context. */
export function recalledInto(chat: PreparedChat): Pick<ChatResponse, "recalled"> {
  return chat.memory?.recalled?.length ? { recalled: chat.memory.recalled } : {};
}

/**
 * After the answer (in `waitUntil`): embeds and stores the exchange for recall and search, and,
 * when the request was cacheable and fully scored, the answer for the semantic cache.
 */
export async function rememberAnswer(
  chat: PreparedChat,
  response: ChatResponse,
  services: Services,
): Promise<void> {
  const { memory } = services;
  // Only text is remembered: a reply that is only tool calls has none.
  if (!memory || !chat.memory || response.message.trim() === "") return;
  const { owner, cacheScope: scope, questionEmbedding } = chat.memory;
  const complete = response.metricsStatus === "ready" || response.metricsStatus === "off";
  const { cache: _cache, recalled: _recalled, ...answer } = response;
  await memory.remember(
    {
      owner,
      conversationId: response.conversationId,
      messageId: response.id,
      user: chat.request.message,
      assistant: response.message,
      cache: scope && complete ? { scope, answer, questionEmbedding } : undefined,
    },
    { deleted: () => services.store.isDeleted(response.conversationId).catch(() => false) },
  );
}
