import type { Context } from "hono";
import { eventStream } from "../lib/event-stream";
import { cacheScope, isCacheable, withRecalled } from "../memory";
import { type ChatResponse, ChatResponseSchema } from "../schemas/chat";
import type { Services } from "../services";
import type { AppEnv } from "../types";
import { recordChatUsage } from "../usage/chat-hooks";
import { persistAndBroadcast, type WaitUntil } from "./finish";
import type { PreparedChat } from "./prepare";

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
 * Whose vectors a request reads and writes: the API key's name, or "" when auth is off (local
 * development, where everything is open).
 */
export function memoryOwner(c: Context<AppEnv>): string {
  return c.get("services").config.auth.disabled ? "" : (c.get("facts").keyName ?? "");
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
    const cached = hit && ChatResponseSchema.safeParse(hit.answer);
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

  const history = chat.completion.messages.slice(0, -1);
  const question = chat.completion.messages.at(-1);
  if (!request.conversationId || request.context || !question || history.length < config.cache.historyTurns)
    return null;
  const recalled = await memory.recall({ owner, conversationId: chat.conversationId, text: request.message });
  const { turns, used } = withRecalled(
    history,
    recalled,
    config.limits.contextChars - request.message.length,
  );
  chat.completion.messages = [...turns, question];
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
  if (!memory || !chat.memory) return;
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

/** A cached answer as Server-Sent Events: `start`, the whole text as one `delta`, then `done`. */
export function streamCachedAnswer(c: Context<AppEnv>, response: ChatResponse): Response {
  return eventStream(c, async (sse) => {
    const send = (event: string, data: unknown) =>
      sse.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send("start", { id: response.id, conversationId: response.conversationId, provider: response.provider });
    send("delta", { text: response.message });
    send("done", response);
  });
}
