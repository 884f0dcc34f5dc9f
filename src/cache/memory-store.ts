import { isTurn } from "../schemas/chat";
import {
  asJsonObject,
  cacheKeys,
  conversationKeys,
  historyScore,
  ownerOfRecord,
  ownerRecord,
  ownerTtlSeconds,
  TOMBSTONE_TTL_SECONDS,
} from "./key-layout";
import { TtlMap } from "./ttl-map";
import type { ChatStore, ChatStoreOptions, Exchange, JsonObject, Turn } from "./types";

const MAX_ENTRIES = 2_000;

/**
 * Shared by every memory store of this isolate, like one small Redis. Values are kept as the
 * JSON-shaped objects written (callers hand them over and do not change them afterwards) and read
 * back as copies, as if stored as JSON text. Keeping objects lets the message record and the
 * history share one copy of each prompt and answer: two JSON texts holding both lived for hundreds
 * of chats, long enough for V8 to promote them, and most of the old-generation garbage of a chat.
 */
const isolateEntries = new TtlMap<unknown>(MAX_ENTRIES);

type MemoryStoreOptions = Pick<ChatStoreOptions, "messagesTtlSeconds" | "metricsTtlSeconds" | "historyTurns">;

function read(key: string): unknown {
  const value = isolateEntries.get(key);
  if (value === undefined) return null;
  return typeof value === "object" && value !== null ? JSON.parse(JSON.stringify(value)) : value;
}

/** Whether `key` holds a live value: no copy made, unlike {@link read}. */
function has(key: string): boolean {
  return isolateEntries.get(key) !== undefined;
}

function readObject(key: string): JsonObject | null {
  return asJsonObject(read(key));
}

/** History entries: each turn with its score and the member id a retried write would repeat. */
interface HistoryEntry {
  at: string;
  score: number;
  turn: Turn;
}

function readHistory(key: string): HistoryEntry[] | null {
  const value = read(key);
  return Array.isArray(value) ? (value as HistoryEntry[]) : null;
}

function readTurns(key: string): Turn[] | null {
  const entries = readHistory(key);
  return entries ? entries.map((entry) => entry.turn).filter(isTurn) : null;
}

function readSet(key: string): string[] {
  const value = read(key);
  return Array.isArray(value) ? value.map(String) : [];
}

function addToSet(key: string, member: string, ttlSeconds: number): void {
  const members = readSet(key);
  write(key, members.includes(member) ? members : [...members, member], ttlSeconds);
}

function write(key: string, value: unknown, ttlSeconds: number): void {
  isolateEntries.set(key, value, ttlSeconds);
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
    saveExchange: async ({
      messageId,
      message,
      metrics,
      conversationId,
      turns,
      owner,
      position,
    }: Exchange) => {
      if (conversationId && has(cacheKeys.tombstone(conversationId))) return;
      write(cacheKeys.message(messageId), message, messagesTtlSeconds);
      if (metrics) write(cacheKeys.metrics(messageId), metrics, metricsTtlSeconds);
      if (owner !== undefined) write(cacheKeys.messageOwner(messageId), ownerRecord(owner), ownerTtl);
      if (!conversationId) return;
      if (turns.length > 0) {
        const key = cacheKeys.conversation(conversationId);
        const entries = readHistory(key) ?? [];
        const newest = entries.at(-1);
        const at = position ?? (newest ? Math.floor(newest.score / 16) + 1 : 0);
        for (const [index, turn] of turns.entries()) {
          const member = `${messageId}:${index}`;
          if (!entries.some((entry) => entry.at === member))
            entries.push({ at: member, score: historyScore(at, index), turn });
        }
        entries.sort((a, b) => a.score - b.score);
        write(key, entries.slice(-historyTurns), messagesTtlSeconds);
      }
      addToSet(cacheKeys.conversationMessages(conversationId), messageId, ownerTtl);
      if (owner !== undefined) {
        claim(cacheKeys.conversationOwner(conversationId), owner);
        addToSet(cacheKeys.ownedConversations(owner), conversationId, ownerTtl);
      }
    },
    deleteConversation: async (conversationId, messageIds) => {
      for (const key of conversationKeys(conversationId, messageIds)) isolateEntries.delete(key);
    },
    saveMetrics: async (messageId, metrics, conversationId) => {
      if (conversationId && has(cacheKeys.tombstone(conversationId))) return;
      write(cacheKeys.metrics(messageId), metrics, metricsTtlSeconds);
    },
    issueConversation: async (conversationId, owner) => {
      claim(cacheKeys.conversationOwner(conversationId), owner);
      addToSet(cacheKeys.ownedConversations(owner), conversationId, ownerTtl);
    },
    readOwnedConversation: async (conversationId, owner, history) => {
      const owned = read(cacheKeys.conversationOwner(conversationId)) === ownerRecord(owner);
      const turns = owned && history ? (readTurns(cacheKeys.conversation(conversationId)) ?? []) : [];
      return { owned, turns };
    },
    conversationState: async (conversationId) => ({
      owner: ownerOfRecord(read(cacheKeys.conversationOwner(conversationId))),
      deletedBy: ownerOfRecord(read(cacheKeys.tombstone(conversationId))),
      stored:
        has(cacheKeys.conversation(conversationId)) || has(cacheKeys.conversationMessages(conversationId)),
    }),
    markDeleted: async (conversationId, deletedBy) => {
      write(cacheKeys.tombstone(conversationId), ownerRecord(deletedBy), TOMBSTONE_TTL_SECONDS);
      return readSet(cacheKeys.conversationMessages(conversationId));
    },
    isDeleted: async (conversationId) => has(cacheKeys.tombstone(conversationId)),
    releaseConversation: async (conversationId, owner) => {
      const ownerKey = cacheKeys.conversationOwner(conversationId);
      if (owner === null || read(ownerKey) === ownerRecord(owner)) isolateEntries.delete(ownerKey);
      if (owner === null) return;
      const index = cacheKeys.ownedConversations(owner);
      const rest = readSet(index).filter((id) => id !== conversationId);
      if (rest.length > 0) write(index, rest, ownerTtl);
      else isolateEntries.delete(index);
    },
    conversationsOf: async (owner, limit) => readSet(cacheKeys.ownedConversations(owner)).slice(0, limit),
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
