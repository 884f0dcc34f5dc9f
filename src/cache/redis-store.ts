import { Redis } from "@upstash/redis";
import type { Logger } from "../lib/log";
import { isTurn } from "../schemas/chat";
import { cacheKeys, isJsonObject } from "./key-layout";
import { createRestRequester, type RestRequesterOptions } from "./rest-requester";
import {
  CacheUnavailableError,
  type ChatStore,
  type ChatStoreOptions,
  type JsonObject,
  type Turn,
} from "./types";

type RedisStoreOptions = ChatStoreOptions & { redis: Redis };

/**
 * The REST client for an Upstash-compatible endpoint: each command one HTTP request bounded by
 * `timeoutMs`, sent once (see {@link createRestRequester}).
 *
 * @example
 * const redis = createRedisClient({ url, token, timeoutMs: 500 });
 */
export function createRedisClient(options: RestRequesterOptions): Redis {
  return new Redis(createRestRequester(options));
}

function toUnavailable(error: unknown): CacheUnavailableError {
  if (error instanceof CacheUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = message.split("failed: ").pop()?.split(" ")[0] || "unknown error";
  return new CacheUnavailableError(`command rejected (${code})`, { cause: error });
}

/** Runs one store call: failures become CacheUnavailableError, logged once per burst of failures. */
function guard(redis: Redis, log: Logger | undefined) {
  let failing = false;
  return async <T>(operation: string, run: (redis: Redis) => Promise<T>): Promise<T> => {
    try {
      const result = await run(redis);
      if (failing) log?.({ msg: "cache_recovered", driver: "redis", operation });
      failing = false;
      return result;
    } catch (error) {
      const failure = toUnavailable(error);
      if (!failing)
        log?.({ msg: "cache_unavailable", driver: "redis", operation, reason: failure.reason }, "warn");
      failing = true;
      throw failure;
    }
  };
}

const asObject = (value: unknown): JsonObject | null => (isJsonObject(value) ? value : null);
const asTurns = (values: unknown[]): Turn[] => values.filter(isTurn);

/**
 * A ChatStore on Upstash Redis (or any Upstash-compatible REST endpoint). Each call is one HTTP
 * request bounded by the client's timeout; failures throw CacheUnavailableError and later calls try again.
 *
 * @example
 * const store = createRedisChatStore({ redis: createRedisClient({ url, token, timeoutMs: 500 }),
 *   messagesTtlSeconds: 86_400, metricsTtlSeconds: 604_800, historyTurns: 20 });
 */
export function createRedisChatStore(options: RedisStoreOptions): ChatStore {
  const { messagesTtlSeconds, metricsTtlSeconds, historyTurns } = options;
  const attempt = guard(options.redis, options.log);
  const getObject = (operation: string, key: string) =>
    attempt(operation, (redis) => redis.get<unknown>(key)).then(asObject);
  const setObject = (operation: string, key: string, value: JsonObject, ttlSeconds: number) =>
    attempt(operation, (redis) => redis.set(key, value, { ex: ttlSeconds })).then(() => undefined);

  return {
    driver: "redis",
    loadHistory: (conversationId) =>
      attempt("loadHistory", (redis) =>
        redis.lrange<unknown>(cacheKeys.conversation(conversationId), 0, -1),
      ).then(asTurns),
    saveExchange: ({ messageId, message, metrics, conversationId, turns }) =>
      attempt("saveExchange", async (redis) => {
        const pipeline = redis.pipeline();
        pipeline.set(cacheKeys.message(messageId), message, { ex: messagesTtlSeconds });
        if (metrics) pipeline.set(cacheKeys.metrics(messageId), metrics, { ex: metricsTtlSeconds });
        if (conversationId && turns.length > 0) {
          const key = cacheKeys.conversation(conversationId);
          pipeline.rpush(key, ...turns);
          pipeline.ltrim(key, -historyTurns, -1);
          pipeline.expire(key, messagesTtlSeconds);
        }
        await pipeline.exec();
      }),
    deleteConversation: (conversationId, messageIds) =>
      attempt("deleteConversation", (redis) =>
        redis.del(
          cacheKeys.conversation(conversationId),
          ...messageIds.flatMap((id) => [cacheKeys.message(id), cacheKeys.metrics(id)]),
        ),
      ).then(() => undefined),
    saveMetrics: (messageId, metrics) =>
      setObject("saveMetrics", cacheKeys.metrics(messageId), metrics, metricsTtlSeconds),
    getMessage: (id) => getObject("getMessage", cacheKeys.message(id)),
    getMetrics: (id) => getObject("getMetrics", cacheKeys.metrics(id)),
    getConversation: (id) =>
      attempt("getConversation", (redis) => redis.lrange<unknown>(cacheKeys.conversation(id), 0, -1)).then(
        (values) => (values.length === 0 ? null : asTurns(values)),
      ),
    getAnalysis: (textHash) => getObject("getAnalysis", cacheKeys.analysis(textHash)),
    saveAnalysis: (textHash, metrics) =>
      setObject("saveAnalysis", cacheKeys.analysis(textHash), metrics, metricsTtlSeconds),
    health: () =>
      attempt("health", (redis) => redis.ping()).then(
        () => ({ status: "ok" as const }),
        (error: CacheUnavailableError) => ({ status: "degraded" as const, detail: error.message }),
      ),
  };
}
