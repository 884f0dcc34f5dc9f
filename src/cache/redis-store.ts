import { Redis } from "@upstash/redis";
import type { Logger } from "../lib/log";
import { isTurn } from "../schemas/chat";
import {
  asJsonObject,
  cacheKeys,
  conversationKeys,
  historyMember,
  ownerOfRecord,
  ownerRecord,
  ownerTtlSeconds,
  TOMBSTONE_TTL_SECONDS,
} from "./key-layout";
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
 * The REST client for an Upstash-compatible endpoint: each request bounded by `timeoutMs` and sent
 * once; single commands issued in the same turn share one `/pipeline` request (see
 * {@link createRestRequester}).
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
 * One exchange in one atomic step, unless the conversation's tombstone (KEYS[4]) says it was
 * deleted: the message (KEYS[1]), its metrics (KEYS[2]) and owner (KEYS[3]); the turns (ARGV[11..])
 * added to the history (KEYS[5], a sorted set scored by position (ARGV[10], or after the newest entry
 * when "") and turn index: a retried write adds nothing and turns stay in order), trimmed to ARGV[4] turns; the message id in the conversation's index (KEYS[6]);
 * with an owner, the conversation's owner record (KEYS[7], never replaced) and the owner's index (KEYS[8]).
 * ARGV: 1 messages TTL, 2 metrics TTL, 3 owner TTL, 4 turns kept, 5 message, 6 metrics or "",
 * 7 owner record or "", 8 message id, 9 conversation id.
 */
const SAVE_EXCHANGE = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[5], 'EX', ARGV[1])
if ARGV[6] ~= '' then redis.call('SET', KEYS[2], ARGV[6], 'EX', ARGV[2]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[3], ARGV[7], 'EX', ARGV[3]) end
if #ARGV >= 11 then
  local position = tonumber(ARGV[10])
  if not position then
    local newest = redis.call('ZREVRANGE', KEYS[5], 0, 0, 'WITHSCORES')[2]
    position = newest and math.floor(tonumber(newest) / 16) + 1 or 0
  end
  for i = 11, #ARGV do redis.call('ZADD', KEYS[5], position * 16 + math.min(i - 11, 15), ARGV[i]) end
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -tonumber(ARGV[4]) - 1)
  redis.call('EXPIRE', KEYS[5], ARGV[1])
end
redis.call('SADD', KEYS[6], ARGV[8])
redis.call('EXPIRE', KEYS[6], ARGV[3])
if ARGV[7] ~= '' then
  redis.call('SET', KEYS[7], ARGV[7], 'NX', 'EX', ARGV[3])
  redis.call('EXPIRE', KEYS[7], ARGV[3])
  redis.call('SADD', KEYS[8], ARGV[9])
  redis.call('EXPIRE', KEYS[8], ARGV[3])
end
return 1
`;

/** Writes the metrics (KEYS[2], ARGV[1] with TTL ARGV[2]) unless the conversation's tombstone (KEYS[1]) is set. */
const SAVE_METRICS = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
return 1
`;

/** Removes the owner record (KEYS[1]) when it holds ARGV[1] (any, when ""), and ARGV[2] from the owner's index (KEYS[2]). */
const RELEASE = `
if ARGV[1] == '' or redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if ARGV[1] ~= '' then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
`;

const asTurns = (values: unknown[]): Turn[] =>
  values.filter(isTurn).map(({ role, content }) => ({ role, content }) as Turn);

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
        return (list ? redis.zrange<unknown[]>(key, 0, -1) : redis.get<unknown>(key)) as Promise<T | null>;
      const pipeline = redis.pipeline().get<unknown>(guard.key);
      const ordered = list ? pipeline.zrange<unknown[]>(key, 0, -1) : pipeline.get<unknown>(key);
      const [recorded, value] = await ordered.exec<[unknown, T]>();
      return recorded === ownerRecord(owner) ? value : null;
    });
  const getObject = (operation: string, key: string, guard?: { key: string; owner?: string }) =>
    read<unknown>(operation, key, false, guard).then(asJsonObject);
  const setObject = (operation: string, key: string, value: JsonObject, ttlSeconds: number) =>
    attempt(operation, (redis) => redis.set(key, value, { ex: ttlSeconds })).then(() => undefined);

  return {
    driver: "redis",
    loadHistory: (conversationId) =>
      attempt("loadHistory", (redis) =>
        redis.zrange<unknown[]>(cacheKeys.conversation(conversationId), 0, -1),
      ).then(asTurns),
    saveExchange: ({ messageId, message, metrics, conversationId, turns, owner, position }) =>
      attempt("saveExchange", async (redis) => {
        const record = owner === undefined ? "" : ownerRecord(owner);
        if (!conversationId) {
          const pipeline = redis.pipeline();
          pipeline.set(cacheKeys.message(messageId), message, { ex: messagesTtlSeconds });
          if (metrics) pipeline.set(cacheKeys.metrics(messageId), metrics, { ex: metricsTtlSeconds });
          if (record) pipeline.set(cacheKeys.messageOwner(messageId), record, { ex: ownerTtl });
          await pipeline.exec();
          return;
        }
        const keys = [
          cacheKeys.message(messageId),
          cacheKeys.metrics(messageId),
          cacheKeys.messageOwner(messageId),
          cacheKeys.tombstone(conversationId),
          cacheKeys.conversation(conversationId),
          cacheKeys.conversationMessages(conversationId),
          cacheKeys.conversationOwner(conversationId),
          cacheKeys.ownedConversations(owner ?? ""),
        ];
        const args: Array<string | number> = [
          messagesTtlSeconds,
          metricsTtlSeconds,
          ownerTtl,
          historyTurns,
          JSON.stringify(message),
          metrics ? JSON.stringify(metrics) : "",
          record,
          messageId,
          conversationId,
          position ?? "",
          ...turns.map((turn, index) => historyMember(messageId, index, turn)),
        ];
        await redis.eval(SAVE_EXCHANGE, keys, args);
      }),
    deleteConversation: (conversationId, messageIds) =>
      attempt("deleteConversation", (redis) =>
        redis.del(...conversationKeys(conversationId, messageIds)),
      ).then(() => undefined),
    saveMetrics: (messageId, metrics, conversationId) =>
      conversationId === undefined
        ? setObject("saveMetrics", cacheKeys.metrics(messageId), metrics, metricsTtlSeconds)
        : attempt("saveMetrics", (redis) =>
            redis.eval(
              SAVE_METRICS,
              [cacheKeys.tombstone(conversationId), cacheKeys.metrics(messageId)],
              [JSON.stringify(metrics), metricsTtlSeconds],
            ),
          ).then(() => undefined),
    issueConversation: (conversationId, owner) =>
      attempt("issueConversation", async (redis) => {
        const index = cacheKeys.ownedConversations(owner);
        await redis
          .pipeline()
          .set(cacheKeys.conversationOwner(conversationId), ownerRecord(owner), { nx: true, ex: ownerTtl })
          .sadd(index, conversationId)
          .expire(index, ownerTtl)
          .exec();
      }),
    readOwnedConversation: (conversationId, owner, history) =>
      attempt("readOwnedConversation", async (redis) => {
        const pipeline = redis.pipeline().get<unknown>(cacheKeys.conversationOwner(conversationId));
        if (history) pipeline.zrange<unknown[]>(cacheKeys.conversation(conversationId), 0, -1);
        const [recorded, values] = await pipeline.exec<[unknown, unknown[] | undefined]>();
        const owned = recorded === ownerRecord(owner);
        return { owned, turns: owned && values ? asTurns(values) : [] };
      }),
    conversationState: (conversationId) =>
      attempt("conversationState", async (redis) => {
        const [owner, deletedBy, stored] = await redis
          .pipeline()
          .get<unknown>(cacheKeys.conversationOwner(conversationId))
          .get<unknown>(cacheKeys.tombstone(conversationId))
          .exists(cacheKeys.conversation(conversationId), cacheKeys.conversationMessages(conversationId))
          .exec<[unknown, unknown, number]>();
        return { owner: ownerOfRecord(owner), deletedBy: ownerOfRecord(deletedBy), stored: stored > 0 };
      }),
    markDeleted: (conversationId, deletedBy) =>
      attempt("markDeleted", async (redis) => {
        const [, ids] = await redis
          .pipeline()
          .set(cacheKeys.tombstone(conversationId), ownerRecord(deletedBy), { ex: TOMBSTONE_TTL_SECONDS })
          .smembers(cacheKeys.conversationMessages(conversationId))
          .exec<[unknown, unknown[]]>();
        return ids.map(String);
      }),
    isDeleted: (conversationId) =>
      attempt("isDeleted", (redis) => redis.exists(cacheKeys.tombstone(conversationId))).then(
        (count) => count > 0,
      ),
    releaseConversation: (conversationId, owner) =>
      attempt("releaseConversation", (redis) =>
        redis.eval(
          RELEASE,
          [cacheKeys.conversationOwner(conversationId), cacheKeys.ownedConversations(owner ?? "")],
          [owner === null ? "" : ownerRecord(owner), conversationId],
        ),
      ).then(() => undefined),
    conversationsOf: (owner, limit) =>
      attempt("conversationsOf", (redis) =>
        redis.srandmember<unknown[]>(cacheKeys.ownedConversations(owner), limit),
      ).then((ids) => (ids ?? []).map(String)),
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
