import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../../scripts/migrations.ts";
import {
  createPostgresVectorStore,
  type VectorStore,
  VectorStoreUnavailableError,
} from "../../../src/vector";
import { fakeEmbedding } from "../../helpers/fake-embedder";
import { startVectorServer, type VectorServerProcess } from "../../helpers/vector-server";
import { describeVectorStoreContract } from "./vector-store-contract";

let server: VectorServerProcess;
let store: VectorStore;
let perQuerySettings: VectorStore;

beforeAll(async () => {
  server = await startVectorServer();
  store = createPostgresVectorStore({ connectionString: server.url, timeoutMs: 5_000, maxConnections: 2 });
  perQuerySettings = createPostgresVectorStore({
    connectionString: server.url,
    timeoutMs: 5_000,
    efSearch: 64,
  });
}, 150_000);
afterAll(async () => {
  await store?.close();
  await perQuerySettings?.close();
  await server?.stop();
});

describe("migrations", () => {
  it("apply to an empty database, once: a second run applies nothing", async () => {
    expect(await applyMigrations(server.url)).toEqual(["001_vectors.sql"]);
    expect(await applyMigrations(server.url)).toEqual([]);

    const sql = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      const indexes = await sql`select indexname, indexdef from pg_indexes where tablename = 'nn_vectors'`;
      const hnsw = indexes.filter((row) => String(row.indexdef).includes("USING hnsw"));
      expect(hnsw.map((row) => row.indexname).sort()).toEqual([
        "nn_vectors_hnsw_1024",
        "nn_vectors_hnsw_1536",
        "nn_vectors_hnsw_384",
        "nn_vectors_hnsw_768",
      ]);
      expect(hnsw.every((row) => String(row.indexdef).includes("vector_cosine_ops"))).toBe(true);
      const [extension] = await sql`select extversion from pg_extension where extname = 'vector'`;
      expect(extension?.extversion).toMatch(/^0\.[89]|^[1-9]/);
      const [settings] = await sql`select setconfig from pg_db_role_setting
        where setdatabase = (select oid from pg_database where datname = current_database())`;
      expect(settings?.setconfig).toEqual(["hnsw.ef_search=200", "hnsw.iterative_scan=strict_order"]);
    } finally {
      await sql.end();
    }
  });
});

describe("on PGlite + pgvector over the Postgres wire protocol", () => {
  beforeAll(() => applyMigrations(server.url));
  describeVectorStoreContract("postgres driver, the database's search settings", () => store);
  describeVectorStoreContract("postgres driver, search settings per query", () => perQuerySettings);
});

describe("stored rows", () => {
  it("keep the payload as a JSON object and the embedding as a vector of its length", async () => {
    const conversationId = `conv-${Date.now()}`;
    await store.saveMemory({
      owner: "key-a",
      conversationId,
      messageId: `msg-${conversationId}`,
      content: "hello",
      turns: [{ role: "user", content: "hello" }],
      embeddingModel: "fake-embed",
      embedding: fakeEmbedding("hello"),
      expiresAt: new Date(Date.now() + 60_000),
    });
    const sql = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      const [row] =
        await sql`select jsonb_typeof(payload) as payload_type, payload->'turns'->0->>'content' as first,
        vector_dims(embedding) as dims from nn_vectors where conversation_id = ${conversationId}`;
      expect(row).toEqual({ payload_type: "object", first: "hello", dims: 384 });
    } finally {
      await sql.end();
    }
  });
});

describe("when the database is slow or gone", () => {
  it("gives up on a server that never answers after the timeout, as unavailable", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const { port } = silent.address() as AddressInfo;
    const slow = createPostgresVectorStore({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
      timeoutMs: 300,
    });
    try {
      const failure = await slow.deleteExpired(100).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VectorStoreUnavailableError);
      expect((failure as VectorStoreUnavailableError).reason).toBe("timeout after 300 ms");
      expect(await slow.health()).toEqual({ status: "degraded", detail: "timeout after 300 ms" });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      void slow.close();
    }
  });

  it("reports a stopped server as unavailable, without the connection string, and works again once it is back", async () => {
    const events: Record<string, unknown>[] = [];
    const own = createPostgresVectorStore({
      connectionString: server.url,
      timeoutMs: 3_000,
      log: (event) => events.push(event),
    });
    const query = {
      owner: "key-a",
      conversationId: "conv-outage",
      embeddingModel: "fake-embed",
      embedding: fakeEmbedding("hello"),
      k: 1,
    };
    try {
      expect(await own.nearestMemories(query)).toEqual([]);
      await server.stop();
      const failure = await own.nearestMemories(query).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(VectorStoreUnavailableError);
      expect(String((failure as Error).message)).not.toContain("postgres:postgres");
      expect((await own.health()).status).toBe("degraded");
      expect(events.filter((event) => event.event === "vector_store_unavailable")).toHaveLength(1);

      await server.restart();
      await applyMigrations(server.url);
      expect(await own.nearestMemories(query)).toEqual([]);
      expect(await own.health()).toEqual({ status: "ok" });
      expect(events.at(-1)).toMatchObject({ event: "vector_store_recovered" });
    } finally {
      await own.close();
    }
  }, 200_000);
});
