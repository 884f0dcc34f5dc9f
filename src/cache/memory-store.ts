import { isTurn } from "../schemas/chat";
import { cacheKeys, conversationKeys, isJsonObject, ownerRecord, ownerTtlSeconds } from "./key-layout";
import { TtlMap } from "./ttl-map";
import type { ChatStore, ChatStoreOptions, Exchange, JsonObject, Turn } from "./types";

const MAX_ENTRIES = 2_000;

/** Shared by every memory store of this isolate, like one small Redis. Values are kept as JSON text. */
const isolateEntries = new TtlMap<string>(MAX_ENTRIES);

type MemoryStoreOptions = Pick<ChatStoreOptions, "messagesTtlSeconds" | "metricsTtlSeconds" | "historyTurns">;

function read(key: string): unknown {
  const text = isolateEntries.get(key);
  return text === undefined ? null : JSON.parse(text);
}

function readObject(key: string): JsonObject | null {
  const value = read(key);
  return isJsonObject(value) ? value : null;
}

function readTurns(key: string): Turn[] | null {
  const value = read(key);
  return Array.isArray(value) ? value.filter(isTurn) : null;
}

function write(key: string, value: unknown, ttlSeconds: number): void {
  isolateEntries.set(key, JSON.stringify(value), ttlSeconds);
}

/**
 * A ChatStore kept in this isolate's memory, with the same TTL rules as the Redis store.
 * Used when no Redis is configured; data is lost when the isolate goes away.
 *
 * @example
 * const store = createMemoryChatStore({ messagesTtlSeconds: 86_400, metricsTtlSeconds: 604_800, historyTurns: 20 });
 */
export function createMemoryChatStore(options: MemoryStoreOptions): ChatStore {
  const { messagesTtlSeconds, metricsTtlSeconds, historyTurns } = options;
  const ownerTtl = ownerTtlSeconds(options);
  /** Binds `key` to `owner` unless it is bound already; true when `owner` holds it afterwards. */
  const claim = (key: string, owner: string): boolean => {
    const current = read(key);
    if (current === null) write(key, ownerRecord(owner), ownerTtl);
    return current === null || current === ownerRecord(owner);
  };
  const ownedBy = (key: string, owner: string | undefined) =>
    owner === undefined || read(key) === ownerRecord(owner);
  return {
    driver: "memory",
    loadHistory: async (conversationId) => readTurns(cacheKeys.conversation(conversationId)) ?? [],
    saveExchange: async ({ messageId, message, metrics, conversationId, turns, owner }: Exchange) => {
      write(cacheKeys.message(messageId), message, messagesTtlSeconds);
      if (metrics) write(cacheKeys.metrics(messageId), metrics, metricsTtlSeconds);
      if (owner !== undefined) write(cacheKeys.messageOwner(messageId), ownerRecord(owner), ownerTtl);
      if (conversationId && turns.length > 0 && read(cacheKeys.appended(messageId)) === null) {
        write(cacheKeys.appended(messageId), 1, messagesTtlSeconds);
        const key = cacheKeys.conversation(conversationId);
        const history = [...(readTurns(key) ?? []), ...turns].slice(-historyTurns);
        write(key, history, messagesTtlSeconds);
        if (owner !== undefined && claim(cacheKeys.conversationOwner(conversationId), owner))
          write(cacheKeys.conversationOwner(conversationId), ownerRecord(owner), ownerTtl);
      }
    },
    deleteConversation: async (conversationId, messageIds) => {
      for (const key of conversationKeys(conversationId, messageIds)) isolateEntries.delete(key);
    },
    saveMetrics: async (messageId, metrics) =>
      write(cacheKeys.metrics(messageId), metrics, metricsTtlSeconds),
    claimConversation: async (conversationId, owner, history) => {
      const owned = claim(cacheKeys.conversationOwner(conversationId), owner);
      const turns = owned && history ? (readTurns(cacheKeys.conversation(conversationId)) ?? []) : [];
      return { owned, turns };
    },
    getMessage: async (id, owner) =>
      ownedBy(cacheKeys.messageOwner(id), owner) ? readObject(cacheKeys.message(id)) : null,
    getMetrics: async (id, owner) =>
      ownedBy(cacheKeys.messageOwner(id), owner) ? readObject(cacheKeys.metrics(id)) : null,
    getConversation: async (id, owner) =>
      ownedBy(cacheKeys.conversationOwner(id), owner) ? readTurns(cacheKeys.conversation(id)) : null,
    getAnalysis: async (textHash) => readObject(cacheKeys.analysis(textHash)),
    saveAnalysis: async (textHash, metrics) =>
      write(cacheKeys.analysis(textHash), metrics, metricsTtlSeconds),
    health: async () => ({
      status: "memory",
      detail: "no Redis configured: data lives in this isolate only",
    }),
  };
}
