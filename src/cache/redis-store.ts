import { Redis } from "@upstash/redis";
import type { Logger } from "../lib/log";
import { isTurn } from "../schemas/chat";
import { cacheKeys, conversationKeys, isJsonObject, ownerRecord, ownerTtlSeconds } from "./key-layout";
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

/**
 * Appends the turns (ARGV[3..]) to the history (KEYS[1]), trims it to ARGV[2] turns and refreshes
 * its TTL (ARGV[1]) — unless this message's marker (KEYS[2]) says it was done already: a write
 * retried after a timeout whose first try did land must not store the turns twice.
 */
const APPEND_ONCE = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

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
  const ownerTtl = ownerTtlSeconds(options);
  const attempt = guard(options.redis, options.log);
  /** Reads `key`; with an owner, also its owner record in the same round trip: null unless they match. */
  const read = <T>(operation: string, key: string, list: boolean, guard?: { key: string; owner?: string }) =>
    attempt(operation, async (redis): Promise<T | null> => {
      const owner = guard?.owner;
      if (!guard || owner === undefined)
        return (list ? redis.lrange<unknown>(key, 0, -1) : redis.get<unknown>(key)) as Promise<T | null>;
      const pipeline = redis.pipeline().get<unknown>(guard.key);
      const ordered = list ? pipeline.lrange<unknown>(key, 0, -1) : pipeline.get<unknown>(key);
      const [recorded, value] = await ordered.exec<[unknown, T]>();
      return recorded === ownerRecord(owner) ? value : null;
    });
  const getObject = (operation: string, key: string, guard?: { key: string; owner?: string }) =>
    read<unknown>(operation, key, false, guard).then(asObject);
  const setObject = (operation: string, key: string, value: JsonObject, ttlSeconds: number) =>
    attempt(operation, (redis) => redis.set(key, value, { ex: ttlSeconds })).then(() => undefined);

  return {
    driver: "redis",
    loadHistory: (conversationId) =>
      attempt("loadHistory", (redis) =>
        redis.lrange<unknown>(cacheKeys.conversation(conversationId), 0, -1),
      ).then(asTurns),
    saveExchange: ({ messageId, message, metrics, conversationId, turns, owner }) =>
      attempt("saveExchange", async (redis) => {
        const pipeline = redis.pipeline();
        pipeline.set(cacheKeys.message(messageId), message, { ex: messagesTtlSeconds });
        if (metrics) pipeline.set(cacheKeys.metrics(messageId), metrics, { ex: metricsTtlSeconds });
        if (owner !== undefined)
          pipeline.set(cacheKeys.messageOwner(messageId), ownerRecord(owner), { ex: ownerTtl });
        if (conversationId && turns.length > 0) {
          const keys = [cacheKeys.conversation(conversationId), cacheKeys.appended(messageId)];
          const args = [messagesTtlSeconds, historyTurns, ...turns.map((turn) => JSON.stringify(turn))];
          pipeline.eval(APPEND_ONCE, keys, args);
          if (owner !== undefined) {
            const ownerKey = cacheKeys.conversationOwner(conversationId);
            pipeline.set(ownerKey, ownerRecord(owner), { nx: true, ex: ownerTtl });
            pipeline.expire(ownerKey, ownerTtl);
          }
        }
        await pipeline.exec();
      }),
    deleteConversation: (conversationId, messageIds) =>
      attempt("deleteConversation", (redis) =>
        redis.del(...conversationKeys(conversationId, messageIds)),
      ).then(() => undefined),
    saveMetrics: (messageId, metrics) =>
      setObject("saveMetrics", cacheKeys.metrics(messageId), metrics, metricsTtlSeconds),
    claimConversation: (conversationId, owner, history) =>
      attempt("claimConversation", async (redis) => {
        const ownerKey = cacheKeys.conversationOwner(conversationId);
        const pipeline = redis
          .pipeline()
          .set(ownerKey, ownerRecord(owner), { nx: true, ex: ownerTtl })
          .get<unknown>(ownerKey);
        if (history) pipeline.lrange<unknown>(cacheKeys.conversation(conversationId), 0, -1);
        const [, recorded, values] = await pipeline.exec<[unknown, unknown, unknown[] | undefined]>();
        const owned = recorded === ownerRecord(owner);
        return { owned, turns: owned && values ? asTurns(values) : [] };
      }),
    getMessage: (id, owner) =>
      getObject("getMessage", cacheKeys.message(id), { key: cacheKeys.messageOwner(id), owner }),
    getMetrics: (id, owner) =>
      getObject("getMetrics", cacheKeys.metrics(id), { key: cacheKeys.messageOwner(id), owner }),
    getConversation: (id, owner) =>
      read<unknown[]>("getConversation", cacheKeys.conversation(id), true, {
        key: cacheKeys.conversationOwner(id),
        owner,
      }).then((values) => (!Array.isArray(values) || values.length === 0 ? null : asTurns(values))),
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
