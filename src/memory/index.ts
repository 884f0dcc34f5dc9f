import { createEmbedder, type EmbedderSettings, EmbeddingUnavailableError } from "../embeddings";
import { PartUnavailableError } from "../lib/unavailable";
import {
  type CacheMatch,
  createPostgresVectorStore,
  type JsonObject,
  type MemoryMatch,
  type VectorStore,
} from "../vector";

export { RECALLED_HEADER, withRecalled } from "./context";
export { type AnswerSettings, cacheScope, isCacheable } from "./scope";

export interface MemorySettings {
  embedder: EmbedderSettings;
  /** Every store call is abandoned after this many milliseconds. */
  timeoutMs: number;
  /** Set the HNSW search settings per query (when the database could not store them). */
  efSearch?: number;
  /** Older exchanges recalled into a long conversation's context. */
  recallTurns: number;
  /** Stored vectors expire after this many seconds (the message TTL). */
  ttlSeconds: number;
  /** The semantic cache: on with a threshold; `shared` lets API keys share entries. */
  cache?: { threshold: number; shared: boolean };
}

/** Who asks: reads and deletes never cross owners (API key names). */
export interface Asker {
  owner: string;
}

export interface Exchange extends Asker {
  conversationId: string;
  messageId: string;
  user: string;
  assistant: string;
  /** Also keep the answer for the semantic cache, under this scope. */
  cache?: { scope: string; answer: JsonObject; questionEmbedding?: number[] };
}

export interface CacheLookup {
  hit: CacheMatch | null;
  /** The question's vector, to store with the answer after a miss without embedding it again. */
  embedding?: number[];
}

export interface MemoryHealth {
  status: "ok" | "degraded";
  detail?: string;
}

/** Conversation memory and the semantic cache for the chat path. Knows nothing of Hono. */
export interface Memory {
  readonly settings: MemorySettings;
  /** The nearest cached answer within the threshold; a miss (never an error) when anything fails. */
  lookup(question: Asker & { scope: string; text: string }): Promise<CacheLookup>;
  /** The older exchanges of a conversation nearest to `text`; none when anything fails. */
  recall(query: Asker & { conversationId: string; text: string }): Promise<MemoryMatch[]>;
  /**
   * Embeds and stores an exchange (and its cache entry); logs and drops it when anything fails.
   * `deleted` is asked before and after the write: a conversation deleted meanwhile keeps nothing.
   */
  remember(exchange: Exchange, guard?: { deleted(): Promise<boolean> }): Promise<void>;
  /** A conversation's exchanges nearest to `text`. Throws {@link PartUnavailableError} when it cannot. */
  search(query: Asker & { conversationId: string; text: string; k: number }): Promise<MemoryMatch[]>;
  /** Removes a conversation's vectors; answers their message ids. Throws {@link PartUnavailableError} when it cannot. */
  forget(conversation: Asker & { conversationId: string }): Promise<string[]>;
  /** The ids of up to `limit` conversations an owner has vectors of. Throws {@link PartUnavailableError}. */
  conversationsOf(owner: string, limit: number): Promise<string[]>;
  /** Removes every row of an owner; answers how many. Throws {@link PartUnavailableError} when it cannot. */
  forgetOwner(owner: string): Promise<number>;
  /** Removes expired rows in batches of `batchSize`, at most `maxBatches` of them; answers how many. */
  purgeExpired(bounds: { batchSize: number; maxBatches: number }): Promise<number>;
  health(): Promise<MemoryHealth>;
}

/** What one exchange is remembered by: the question and the reply, cut to what embedders take. */
const MAX_EMBEDDED_CHARS = 4_000;
const SHARED_CACHE_OWNER = "*";

/**
 * Memory and the semantic cache over a Postgres connection string (the Hyperdrive binding's).
 * Each call opens its own connection and closes it (a worker's sockets belong to one request).
 *
 * @example
 * const memory = createMemory({ settings, connectionString: env.VECTOR_DB.connectionString, log });
 * const { hit } = await memory.lookup({ owner: "web", scope, text: "What is the capital of France?" });
 */
export function createMemory(options: {
  settings: MemorySettings;
  connectionString: string;
  log: (event: Record<string, unknown>) => void;
}): Memory {
  const { settings, connectionString, log } = options;
  const embedder = createEmbedder(settings.embedder);
  let embedderFailure: string | undefined;

  async function embed(texts: string[]): Promise<number[][]> {
    try {
      const vectors = await embedder.embed(texts.map((text) => text.slice(0, MAX_EMBEDDED_CHARS)));
      if (embedderFailure) log({ event: "embeddings_recovered", provider: embedder.provider });
      embedderFailure = undefined;
      return vectors;
    } catch (error) {
      const reason = error instanceof EmbeddingUnavailableError ? error.reason : "unknown error";
      if (!embedderFailure) log({ event: "embeddings_unavailable", provider: embedder.provider, reason });
      embedderFailure = reason;
      throw error;
    }
  }

  async function withStore<T>(run: (store: VectorStore) => Promise<T>): Promise<T> {
    const store = createPostgresVectorStore({
      connectionString,
      timeoutMs: settings.timeoutMs,
      efSearch: settings.efSearch,
      log,
    });
    try {
      return await run(store);
    } finally {
      await store.close().catch(() => {});
    }
  }

  /** Runs a best-effort step: a part that is down means "skip", anything else is a bug and throws. */
  async function skipping<T>(step: string, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof PartUnavailableError)) throw error;
      log({ event: "memory_skipped", step, reason: error.reason });
      return fallback;
    }
  }

  /**
   * A conversation's rows: the owner's, and its shared cache entries (`SEMANTIC_CACHE_SHARED`). The
   * caller has proven ownership through the conversation's owner record (ids are issued per key).
   */
  async function forgetIn(store: VectorStore, { owner, conversationId }: Asker & { conversationId: string }) {
    const removed = await store.deleteConversation({ owner, conversationId });
    if (settings.cache?.shared)
      removed.push(...(await store.deleteConversation({ owner: SHARED_CACHE_OWNER, conversationId })));
    return [...new Set(removed)];
  }

  const cacheOwner = (owner: string) => (settings.cache?.shared ? SHARED_CACHE_OWNER : owner);
  const expiresAt = () => new Date(Date.now() + settings.ttlSeconds * 1_000);

  return {
    settings,

    lookup: ({ owner, scope, text }) =>
      skipping<CacheLookup>("cache_lookup", { hit: null }, async () => {
        const threshold = settings.cache?.threshold;
        if (threshold === undefined) return { hit: null };
        const [embedding = []] = await embed([text]);
        const hit = await skipping("cache_lookup", null, () =>
          withStore((store) =>
            store.lookupCache({
              owner: cacheOwner(owner),
              scope,
              embeddingModel: embedder.model,
              embedding,
              threshold,
            }),
          ),
        );
        return { hit, embedding };
      }),

    recall: ({ owner, conversationId, text }) =>
      skipping("recall", [], async () => {
        if (settings.recallTurns <= 0) return [];
        const [embedding = []] = await embed([text]);
        return withStore((store) =>
          store.nearestMemories({
            owner,
            conversationId,
            embeddingModel: embedder.model,
            embedding,
            k: settings.recallTurns,
          }),
        );
      }),

    remember: (exchange, guard) =>
      skipping("remember", undefined, async () => {
        if (await guard?.deleted()) return;
        const content = `${exchange.user}\n${exchange.assistant}`;
        const cache = exchange.cache;
        const texts = cache && !cache.questionEmbedding ? [content, exchange.user] : [content];
        const [memoryVector = [], questionVector] = await embed(texts);
        if (await guard?.deleted()) {
          log({ event: "memory_write_skipped", reason: "conversation deleted" });
          return;
        }
        await withStore(async (store) => {
          // The cache entry first: once the exchange can be found, its cached answer can be too.
          if (cache) {
            await store.saveCacheEntry({
              owner: cacheOwner(exchange.owner),
              conversationId: exchange.conversationId,
              messageId: exchange.messageId,
              scope: cache.scope,
              question: exchange.user,
              answer: cache.answer,
              embeddingModel: embedder.model,
              embedding: cache.questionEmbedding ?? questionVector ?? [],
              expiresAt: expiresAt(),
            });
          }
          await store.saveMemory({
            owner: exchange.owner,
            conversationId: exchange.conversationId,
            messageId: exchange.messageId,
            content,
            turns: [
              { role: "user", content: exchange.user },
              { role: "assistant", content: exchange.assistant },
            ],
            embeddingModel: embedder.model,
            embedding: memoryVector,
            expiresAt: expiresAt(),
          });
          // Deleted while this was being written: take back what was just stored.
          if (await guard?.deleted()) {
            log({ event: "memory_write_withdrawn", reason: "conversation deleted" });
            await forgetIn(store, exchange);
          }
        });
      }),

    async search({ owner, conversationId, text, k }) {
      const [embedding = []] = await embed([text]);
      return withStore((store) =>
        store.nearestMemories({ owner, conversationId, embeddingModel: embedder.model, embedding, k }),
      );
    },

    forget: (conversation) => withStore((store) => forgetIn(store, conversation)),

    conversationsOf: (owner, limit) => withStore((store) => store.conversationsOf(owner, limit)),

    forgetOwner: (owner) => withStore((store) => store.deleteOwner(owner)),

    purgeExpired: ({ batchSize, maxBatches }) =>
      withStore(async (store) => {
        let removed = 0;
        for (let batch = 0; batch < maxBatches; batch++) {
          const count = await store.deleteExpired(batchSize);
          removed += count;
          if (count < batchSize) break;
        }
        return removed;
      }),

    async health() {
      const store = await withStore((vectorStore) => vectorStore.health());
      if (store.status !== "ok") return { status: "degraded", detail: `store: ${store.detail}` };
      if (embedderFailure) return { status: "degraded", detail: `embeddings: ${embedderFailure}` };
      return { status: "ok" };
    },
  };
}
