import postgres from "postgres";
import * as z from "zod";
import { withDeadline } from "../lib/deadline";
import { lazy } from "../lib/lazy";
import { TurnSchema } from "../schemas/chat";
import {
  type CacheEntry,
  type CacheMatch,
  type CacheQuery,
  type Embedded,
  type MemoryEntry,
  type MemoryMatch,
  type MemoryQuery,
  type VectorStore,
  type VectorStoreHealth,
  VectorStoreUnavailableError,
} from "./types";

export interface PostgresVectorStoreOptions {
  /** `postgres://user:password@host:port/database`, e.g. a Hyperdrive binding's `connectionString`. */
  connectionString: string;
  /** Every call is abandoned (and reported unavailable) after this many milliseconds. */
  timeoutMs: number;
  /**
   * Set `hnsw.ef_search` (and iterative scans) per search, in a transaction of its own: for databases
   * where the migration could not store them as the database's defaults. Costs two more round trips.
   */
  efSearch?: number;
  /** Connections to open at most (one per request in a worker). */
  maxConnections?: number;
  log?: (event: Record<string, unknown>) => void;
}

const MAX_DIMENSIONS = 16_000;

const MemoryPayloadSchema = lazy(() => z.object({ turns: z.array(TurnSchema()) }));
const CachePayloadSchema = lazy(() => z.object({ answer: z.record(z.string(), z.unknown()) }));

/** pgvector's text form of a vector; refuses what would not be one. */
function vectorLiteral({ embedding }: Embedded): string {
  if (embedding.length === 0 || embedding.length > MAX_DIMENSIONS || !embedding.every(Number.isFinite))
    throw new VectorStoreUnavailableError("invalid embedding");
  return `[${embedding.join(",")}]`;
}

/**
 * The ordering and the predicate of the partial HNSW index for this length, spelled the way the
 * migration spells them (the length is a literal so the planner can match the index).
 */
function distanceTo(dimensions: number, parameter: string): { distance: string; sameLength: string } {
  if (!Number.isInteger(dimensions)) throw new VectorStoreUnavailableError("invalid embedding");
  return {
    distance: `(embedding::vector(${dimensions}) <=> ${parameter}::vector(${dimensions}))`,
    sameLength: `dimensions = ${dimensions}`,
  };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof VectorStoreUnavailableError) return error.reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "CONNECT_TIMEOUT") return `timeout after ${timeoutMs} ms`;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return `database error ${code}`;
  return "network error";
}

/**
 * A {@link VectorStore} over the `postgres` driver: one table (`nn_vectors`, see migrations/), cosine
 * distance, HNSW indexes per embedding length. Create one per request in a worker (sockets belong to
 * the request that opened them) and `close()` it in `waitUntil`.
 *
 * @example
 * const store = createPostgresVectorStore({ connectionString: env.VECTOR_DB.connectionString, timeoutMs: 500 });
 * const recalled = await store.nearestMemories({ owner, conversationId, embeddingModel, embedding, k: 4 });
 * ctx.waitUntil(store.close());
 */
export function createPostgresVectorStore(options: PostgresVectorStoreOptions): VectorStore {
  const { timeoutMs, log = () => {} } = options;
  const efSearch = options.efSearch === undefined ? undefined : String(options.efSearch);
  const sql = postgres(options.connectionString, {
    max: options.maxConnections ?? 1,
    connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    idle_timeout: 20,
    fetch_types: false,
    onnotice: () => {},
  });
  let failing = false;

  async function guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await withDeadline(
        run(),
        timeoutMs,
        () => new VectorStoreUnavailableError(`timeout after ${timeoutMs} ms`),
      );
      if (failing) log({ event: "vector_store_recovered", operation });
      failing = false;
      return result;
    } catch (error) {
      const reason = describeFailure(error, timeoutMs);
      if (!failing) log({ event: "vector_store_unavailable", operation, reason });
      failing = true;
      throw error instanceof VectorStoreUnavailableError
        ? error
        : new VectorStoreUnavailableError(reason, { cause: error });
    }
  }

  /**
   * One statement under the database's search settings; with `efSearch`, a transaction whose HNSW
   * settings apply to it alone (the settings and the query pipelined in one flight).
   */
  async function search(query: string, parameters: postgres.ParameterOrJSON<never>[]) {
    if (efSearch === undefined) return sql.unsafe(query, parameters);
    const [, rows] = await sql.begin((tx) => [
      tx.unsafe(
        "select set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'strict_order', true)",
        [efSearch],
      ),
      tx.unsafe(query, parameters),
    ]);
    return rows;
  }

  async function upsert(row: {
    kind: "memory" | "cache";
    entry: MemoryEntry | CacheEntry;
    scope: string | null;
    content: string;
    payload: Record<string, unknown>;
  }): Promise<void> {
    const { entry } = row;
    const embedding = vectorLiteral(entry);
    await sql`
      insert into nn_vectors (kind, message_id, conversation_id, owner, cache_scope, embedding_model,
        dimensions, content, payload, embedding, expires_at)
      values (${row.kind}, ${entry.messageId}, ${entry.conversationId}, ${entry.owner}, ${row.scope},
        ${entry.embeddingModel}, ${entry.embedding.length}, ${row.content},
        ${sql.json(row.payload as postgres.JSONValue)}::jsonb, ${embedding}::vector, ${entry.expiresAt.toISOString()}::timestamptz)
      on conflict (kind, message_id) do update set
        conversation_id = excluded.conversation_id, owner = excluded.owner, cache_scope = excluded.cache_scope,
        embedding_model = excluded.embedding_model, dimensions = excluded.dimensions,
        content = excluded.content, payload = excluded.payload, embedding = excluded.embedding,
        created_at = now(), expires_at = excluded.expires_at`;
  }

  return {
    saveMemory: (entry) =>
      guard("saveMemory", () =>
        upsert({
          kind: "memory",
          entry,
          scope: null,
          content: entry.content,
          payload: { turns: entry.turns },
        }),
      ),

    saveCacheEntry: (entry) =>
      guard("saveCacheEntry", () =>
        upsert({
          kind: "cache",
          entry,
          scope: entry.scope,
          content: entry.question,
          payload: { answer: entry.answer },
        }),
      ),

    nearestMemories: (query: MemoryQuery) =>
      guard("nearestMemories", async (): Promise<MemoryMatch[]> => {
        const excluded = new Set(query.excludeMessageIds ?? []);
        const { distance, sameLength } = distanceTo(query.embedding.length, "$1");
        const rows = await search(
          `select message_id, payload, created_at, 1 - ${distance} as similarity
           from nn_vectors
           where kind = 'memory' and owner = $2 and conversation_id = $3 and embedding_model = $4
             and ${sameLength} and expires_at > now()
           order by ${distance}
           limit $5`,
          [
            vectorLiteral(query),
            query.owner,
            query.conversationId,
            query.embeddingModel,
            query.k + excluded.size,
          ],
        );
        const matches: MemoryMatch[] = [];
        for (const row of rows) {
          const payload = MemoryPayloadSchema().safeParse(row.payload);
          if (!payload.success || excluded.has(String(row.message_id))) continue;
          matches.push({
            messageId: String(row.message_id),
            turns: payload.data.turns,
            similarity: Number(row.similarity),
            createdAt: new Date(row.created_at as string | Date).toISOString(),
          });
        }
        return matches.slice(0, query.k);
      }),

    lookupCache: (query: CacheQuery) =>
      guard("lookupCache", async (): Promise<CacheMatch | null> => {
        const { distance, sameLength } = distanceTo(query.embedding.length, "$1");
        const [row] = await search(
          `select message_id, conversation_id, content, payload, 1 - ${distance} as similarity
           from nn_vectors
           where kind = 'cache' and owner = $2 and cache_scope = $3 and embedding_model = $4
             and ${sameLength} and expires_at > now()
           order by ${distance}
           limit 1`,
          [vectorLiteral(query), query.owner, query.scope, query.embeddingModel],
        );
        if (!row || Number(row.similarity) < query.threshold) return null;
        const payload = CachePayloadSchema().safeParse(row.payload);
        if (!payload.success) return null;
        return {
          messageId: String(row.message_id),
          conversationId: String(row.conversation_id),
          question: String(row.content),
          answer: payload.data.answer,
          similarity: Number(row.similarity),
        };
      }),

    deleteConversation: ({ owner, conversationId }) =>
      guard("deleteConversation", async () => {
        const rows = await sql`
          delete from nn_vectors where owner = ${owner} and conversation_id = ${conversationId}
          returning message_id`;
        return [...new Set(rows.map((row) => String(row.message_id)))];
      }),

    deleteExpired: (limit) =>
      guard("deleteExpired", async () => {
        const result = await sql`
          delete from nn_vectors where ctid = any(array(
            select ctid from nn_vectors where expires_at <= now() limit ${limit}))`;
        return result.count;
      }),

    conversationsOf: (owner, limit) =>
      guard("conversationsOf", async () => {
        const rows = await sql`
          select distinct conversation_id from nn_vectors where owner = ${owner} limit ${limit}`;
        return rows.map((row) => String(row.conversation_id));
      }),

    deleteOwner: (owner) =>
      guard("deleteOwner", async () => {
        const result = await sql`delete from nn_vectors where owner = ${owner}`;
        return result.count;
      }),

    async health(): Promise<VectorStoreHealth> {
      try {
        await guard("health", () => sql`select 1 from nn_vectors limit 1`);
        return { status: "ok" };
      } catch (error) {
        return { status: "degraded", detail: (error as VectorStoreUnavailableError).reason };
      }
    },

    close: () => sql.end({ timeout: 1 }),
  };
}
