import { PartUnavailableError } from "../lib/unavailable";
import type { Turn } from "../schemas/chat";

export type JsonObject = Record<string, unknown>;

/** Thrown by every store call when the vector database cannot be reached in time or refuses to answer. */
export class VectorStoreUnavailableError extends PartUnavailableError {
  override readonly name = "VectorStoreUnavailableError";
  constructor(reason: string, options?: ErrorOptions) {
    super("Vector store", reason, options);
  }
}

/** A vector and the model that made it: vectors of different models are never compared. */
export interface Embedded {
  embeddingModel: string;
  embedding: number[];
}

/** Whose rows a call may see: reads and deletes never cross an owner (an API key name). */
export interface OwnerScope {
  owner: string;
}

/** One exchange of a conversation, kept for recall and search until `expiresAt`. */
export interface MemoryEntry extends Embedded, OwnerScope {
  messageId: string;
  conversationId: string;
  /** The text that was embedded. */
  content: string;
  /** The turns handed back when the entry is recalled (user question, assistant reply). */
  turns: Turn[];
  expiresAt: Date;
}

export interface MemoryQuery extends Embedded, OwnerScope {
  conversationId: string;
  k: number;
  /** Entries to leave out, e.g. the turns already in the context. */
  excludeMessageIds?: readonly string[];
}

export interface MemoryMatch {
  messageId: string;
  turns: Turn[];
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
  createdAt: string;
}

/** A stateless question and the answer it got, reused for a near-identical question in the same scope. */
export interface CacheEntry extends Embedded, OwnerScope {
  messageId: string;
  conversationId: string;
  /** A hash of provider, model and settings: an answer is only reused under the same one. */
  scope: string;
  question: string;
  answer: JsonObject;
  expiresAt: Date;
}

export interface CacheQuery extends Embedded, OwnerScope {
  scope: string;
  /** Lowest cosine similarity that counts as the same question, e.g. 0.95. */
  threshold: number;
}

export interface CacheMatch {
  messageId: string;
  conversationId: string;
  question: string;
  answer: JsonObject;
  similarity: number;
}

export interface VectorStoreHealth {
  status: "ok" | "degraded";
  detail?: string;
}

/**
 * Conversation memory and the semantic cache on Postgres with pgvector. Every call is bounded by the
 * store's timeout and throws {@link VectorStoreUnavailableError} on any failure; expired rows are never
 * returned.
 */
export interface VectorStore {
  /** Inserts or replaces the memory entry of `messageId`. */
  saveMemory(entry: MemoryEntry): Promise<void>;
  /** Inserts or replaces the cache entry of `messageId`. */
  saveCacheEntry(entry: CacheEntry): Promise<void>;
  /** The `k` entries of one conversation (of one owner) nearest to the query vector, most similar first. */
  nearestMemories(query: MemoryQuery): Promise<MemoryMatch[]>;
  /** The nearest cached answer of the owner and scope, when it is at least `threshold` similar. */
  lookupCache(query: CacheQuery): Promise<CacheMatch | null>;
  /** Removes every row (memory and cache) of one owner's conversation; answers their message ids. */
  deleteConversation(scope: OwnerScope & { conversationId: string }): Promise<string[]>;
  /** Removes up to `limit` expired rows (one bounded statement); answers how many. */
  deleteExpired(limit: number): Promise<number>;
  /** The ids of up to `limit` conversations an owner has rows of. */
  conversationsOf(owner: string, limit: number): Promise<string[]>;
  /** Removes every row of one owner; answers how many. */
  deleteOwner(owner: string): Promise<number>;
  health(): Promise<VectorStoreHealth>;
  /** Closes the connection(s); pending calls finish first. */
  close(): Promise<void>;
}
