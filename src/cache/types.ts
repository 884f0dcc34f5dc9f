import type { Redis } from "@upstash/redis";
import type { Logger } from "../lib/log";
import type { Turn } from "../schemas/chat";

export type { Turn };
export type JsonObject = Record<string, unknown>;

/** Thrown by every store call when the cache cannot be reached in time or refuses to answer. */
export class CacheUnavailableError extends Error {
  /** Short, secret-free cause, e.g. `timeout after 500 ms`, `HTTP 500`, `network error`. */
  readonly reason: string;
  constructor(reason: string, options?: ErrorOptions) {
    super(`Cache unavailable: ${reason}`, options);
    this.name = "CacheUnavailableError";
    this.reason = reason;
  }
}

/** What `saveExchange` writes in one round trip. */
export interface Exchange {
  messageId: string;
  message: JsonObject;
  metrics?: JsonObject | null;
  conversationId?: string;
  turns: Turn[];
  /** The API key name the message (and a new conversation) is bound to; absent when auth is off. */
  owner?: string;
  /**
   * Where the exchange stands in its conversation (the time its question was asked, epoch ms):
   * history is kept in this order, whatever order retried writes land in. Without it, the
   * exchange goes after the newest one stored.
   */
  position?: number;
}

/** What opening a conversation found: whether the caller owns it, and its history when asked for. */
export interface ConversationClaim {
  /** True when the conversation is bound to the asking owner. */
  owned: boolean;
  turns: Turn[];
}

/** What is stored about a conversation, for deciding who may delete it. */
export interface ConversationState {
  /** The key name its owner record holds ("" for a record written with auth off); null without one. */
  owner: string | null;
  /** Who deleted it, while its tombstone lives ("" with auth off); null when not deleted lately. */
  deletedBy: string | null;
  /** True when history or messages of it are stored. */
  stored: boolean;
}

export interface CacheHealth {
  status: "ok" | "degraded" | "memory";
  detail?: string;
}

/** Messages, metrics, conversation history and analysis results with TTLs, on Redis or in memory. */
export interface ChatStore {
  readonly driver: "redis" | "memory";
  /** One round trip. Throws CacheUnavailableError when Redis is down/slow. */
  loadHistory(conversationId: string): Promise<Turn[]>;
  /** ONE atomic round trip, skipped when the conversation was deleted: message record (messages TTL),
   *  metrics when given (metrics TTL), and `turns` added to the conversation history once, in the order
   *  of `position` (trimmed to the last N turns, TTL refreshed). */
  saveExchange(exchange: Exchange): Promise<void>;
  /** Writes a message's metrics, unless its conversation (when named) was deleted meanwhile. */
  saveMetrics(messageId: string, metrics: JsonObject, conversationId?: string): Promise<void>;
  /** Binds a conversation id the server just issued to `owner` (and to the owner's index). */
  issueConversation(conversationId: string, owner: string): Promise<void>;
  /**
   * One round trip: whether the conversation is bound to `owner` (it never binds one that is not:
   * ids are issued by the server), and its history when `history` is set and it is. Throws
   * CacheUnavailableError when Redis is down/slow.
   */
  readOwnedConversation(conversationId: string, owner: string, history: boolean): Promise<ConversationClaim>;
  /** With `owner`, a record bound to another owner (or to none) reads as null. Same below. */
  getMessage(id: string, owner?: string): Promise<JsonObject | null>;
  getMetrics(id: string, owner?: string): Promise<JsonObject | null>;
  /** One round trip: who owns the conversation, who deleted it lately, whether anything of it is stored. */
  conversationState(conversationId: string): Promise<ConversationState>;
  /**
   * Starts deleting: writes the tombstone (`deletedBy`, "" with auth off), so that no later write
   * stores anything for the conversation, and answers the ids of the messages it holds.
   */
  markDeleted(conversationId: string, deletedBy: string): Promise<string[]>;
  /** True while the conversation's tombstone lives. */
  isDeleted(conversationId: string): Promise<boolean>;
  /** One round trip: removes a conversation's history and message index, and the given messages with their metrics. */
  deleteConversation(conversationId: string, messageIds: readonly string[]): Promise<void>;
  /**
   * The last step of a deletion: removes the owner record when it names `owner` (whatever it names
   * when `owner` is null), and the conversation from `owner`'s index.
   */
  releaseConversation(conversationId: string, owner: string | null): Promise<void>;
  /** Up to `limit` conversations bound to a key name. */
  conversationsOf(owner: string, limit: number): Promise<string[]>;
  /** null when absent/expired. */
  getConversation(id: string, owner?: string): Promise<Turn[] | null>;
  getAnalysis(textHash: string): Promise<JsonObject | null>;
  saveAnalysis(textHash: string, metrics: JsonObject): Promise<void>;
  health(): Promise<CacheHealth>;
}

export interface ChatStoreOptions {
  /** The Redis client (see `createRedisClient`); without it the store keeps data in this isolate's memory. */
  redis?: Redis;
  messagesTtlSeconds: number;
  metricsTtlSeconds: number;
  historyTurns: number;
  log?: Logger;
}
