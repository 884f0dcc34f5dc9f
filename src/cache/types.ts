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
}

/** What claiming a conversation found: who owns it now, and its history when asked for. */
export interface ConversationClaim {
  /** True when the conversation is (now) bound to the claiming owner. */
  owned: boolean;
  turns: Turn[];
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
  /** ONE pipelined round trip: message record (messages TTL), metrics when given (metrics TTL), and `turns`
   *  appended to the conversation history (trimmed to the last N turns, TTL refreshed). */
  saveExchange(exchange: Exchange): Promise<void>;
  saveMetrics(messageId: string, metrics: JsonObject): Promise<void>;
  /**
   * One round trip: binds the conversation to `owner` unless another owner holds it already, and
   * loads its history when `history` is set. Throws CacheUnavailableError when Redis is down/slow.
   */
  claimConversation(conversationId: string, owner: string, history: boolean): Promise<ConversationClaim>;
  /** With `owner`, a record bound to another owner (or to none) reads as null. Same below. */
  getMessage(id: string, owner?: string): Promise<JsonObject | null>;
  getMetrics(id: string, owner?: string): Promise<JsonObject | null>;
  /** One round trip: removes a conversation's history and ownership, and the given messages with their metrics. */
  deleteConversation(conversationId: string, messageIds: readonly string[]): Promise<void>;
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
