import { parseArgs } from "node:util";
import postgres from "postgres";
import { seededRandom } from "../scripts/detector/statistics.ts";
import { createPostgresVectorStore, type VectorStore } from "../src/vector/index.ts";
import { fakeEmbedding } from "../test/helpers/fake-embedder.ts";
import { startVectorServer } from "../test/helpers/vector-server.ts";
import { percentile } from "./lib/stats.ts";
import { fixed, printTable } from "./lib/table.ts";

/**
 * `npm run bench:vector` (`-- --rows 20000` for a quicker run): the vector store with 100,000 stored
 * vectors in PGlite + pgvector over the Postgres wire protocol (its own process, as under `npm run dev`).
 *
 * - Semantic-cache hit: the time the worker spends beyond the embedding call — `lookupCache` (one
 *   pipelined transaction: HNSW settings + the nearest entry of the key's scope) plus shaping the
 *   cached answer into a response body. p50/p95 over paraphrased questions that hit.
 * - Memory recall: `nearestMemories` for one conversation of 500 turns among the 100,000 rows.
 * - recall@5 of the HNSW search against exact search (index scans off) on the same data and query
 *   shape (owner + scope filter), for several `hnsw.ef_search` values.
 *
 * Vectors come from the fake embedder's hashed bag of words over generated questions: 400 topics of
 * 30 words each, every question mixing 3–4 words of its topic with 2 common ones, so neighbours are
 * topical as with a real model. 384 dimensions (all-MiniLM / bge-small length).
 */

const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, queries: { type: "string", default: "200" } },
});
const ROWS = Number(values.rows);
const QUERIES = Number(values.queries);
const MEMORY_TURNS = 500;
const DIMENSIONS = 384;
const OWNERS = ["key-alpha", "key-beta", "key-gamma", "key-delta"];
const SCOPES = ["groq|openai/gpt-oss-20b|t=0", "ollama|llama3.2|t=0"];
const MODEL = "fake-embed";
const EF_SEARCH_VALUES = [40, 100, 200];

// Deterministic, so every run stores the same data.
const next = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zo", "pe", "da", "fu", "gi", "ho", "ju"];
const word = () => Array.from({ length: 2 + Math.floor(next() * 3) }, () => pick(syllables)).join("");
const topics = Array.from({ length: 400 }, () => Array.from({ length: 30 }, word));
const common = Array.from({ length: 300 }, word);

function question(topic: readonly string[]): string {
  const words = Array.from({ length: 3 + Math.floor(next() * 2) }, () => pick(topic));
  return `how ${pick(common)} ${words.join(" ")} ${pick(common)}?`;
}

/** The same question with one of its words swapped for another of its topic: a paraphrase. */
function paraphrase(text: string, topic: readonly string[]): string {
  const words = text.replace("?", "").split(" ");
  words[2] = pick(topic);
  return `${words.join(" ")}?`;
}

const vectorText = (text: string) => `[${fakeEmbedding(text, DIMENSIONS).join(",")}]`;

interface Row {
  message_id: string;
  conversation_id: string;
  owner: string;
  cache_scope: string;
  content: string;
  topic: number;
}

async function load(rows: Row[], kind: "memory" | "cache"): Promise<void> {
  const batch = 500;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    await admin.unsafe(
      `insert into nn_vectors (kind, message_id, conversation_id, owner, cache_scope, embedding_model,
         dimensions, content, payload, embedding, expires_at)
       select $1, m, c, o, nullif(s, ''), $2, ${DIMENSIONS}, t,
         case when $1 = 'memory'
           then jsonb_build_object('turns', jsonb_build_array(jsonb_build_object('role', 'user', 'content', t)))
           else jsonb_build_object('answer', jsonb_build_object('message', 'cached answer to: ' || t, 'provider', 'groq'))
         end,
         e::vector, now() + interval '1 day'
       from jsonb_to_recordset($3::jsonb) as u(m text, c text, o text, s text, t text, e text)`,
      [
        kind,
        MODEL,
        admin.json(
          slice.map((row) => ({
            m: row.message_id,
            c: row.conversation_id,
            o: row.owner,
            s: row.cache_scope,
            t: row.content,
            e: vectorText(row.content),
          })),
        ),
      ],
    );
  }
}

function timings(samples: number[]): string[] {
  const sorted = [...samples].sort((a, b) => a - b);
  return [fixed(percentile(sorted, 0.5), 2), fixed(percentile(sorted, 0.95), 2), String(samples.length)];
}

console.log(`Starting PGlite + pgvector over the socket, loading ${ROWS.toLocaleString("en")} vectors…`);
const server = await startVectorServer({ migrate: true });
const admin = postgres(server.url, { max: 1, onnotice: () => {}, fetch_types: false });
const store = createPostgresVectorStore({ connectionString: server.url, timeoutMs: 30_000 });
const perQueryStore = createPostgresVectorStore({
  connectionString: server.url,
  timeoutMs: 30_000,
  efSearch: 200,
});
try {
  const cacheRows: Row[] = Array.from({ length: ROWS - MEMORY_TURNS }, (_, index) => {
    const topic = Math.floor(next() * topics.length);
    return {
      message_id: `msg-${index}`,
      conversation_id: `conv-${index}`,
      owner: pick(OWNERS),
      cache_scope: pick(SCOPES),
      content: question(topics[topic] as string[]),
      topic,
    };
  });
  const memoryRows: Row[] = Array.from({ length: MEMORY_TURNS }, (_, index) => {
    const topic = Math.floor(next() * topics.length);
    return {
      message_id: `mem-${index}`,
      conversation_id: "conv-long",
      owner: "key-alpha",
      cache_scope: "",
      content: question(topics[topic] as string[]),
      topic,
    };
  });

  // Bulk load without the HNSW index, then build it once (as after a restore), with room to build in memory.
  const [index] = await admin`select indexdef from pg_indexes where indexname = 'nn_vectors_hnsw_384'`;
  await admin`drop index nn_vectors_hnsw_384`;
  const loadStarted = performance.now();
  await load(cacheRows, "cache");
  await load(memoryRows, "memory");
  const loadSeconds = (performance.now() - loadStarted) / 1_000;
  const buildStarted = performance.now();
  await admin`set maintenance_work_mem = '512MB'`;
  await admin.unsafe(String(index?.indexdef));
  await admin`analyze nn_vectors`;
  const buildSeconds = (performance.now() - buildStarted) / 1_000;
  console.log(`Loaded in ${fixed(loadSeconds, 1)} s, HNSW index built in ${fixed(buildSeconds, 1)} s.`);

  // Semantic-cache hits: paraphrases of stored questions, looked up in their own scope.
  const similarities: number[] = [];
  let misses = 0;
  const cacheHits = async (measured: VectorStore): Promise<number[]> => {
    const times: number[] = [];
    for (let sample = 0; sample < QUERIES + 20; sample++) {
      const stored = pick(cacheRows);
      const asked = paraphrase(stored.content, topics[stored.topic] as string[]);
      const embedding = fakeEmbedding(asked, DIMENSIONS);
      const started = performance.now();
      const match = await measured.lookupCache({
        owner: stored.owner,
        scope: stored.cache_scope,
        embeddingModel: MODEL,
        embedding,
        threshold: 0.8,
      });
      const body = match
        ? JSON.stringify({ ...match.answer, cache: { hit: true, similarity: match.similarity } })
        : "";
      const elapsed = performance.now() - started;
      if (sample < 20) continue; // warm-up: prepared statements, the index's pages
      if (!match || body === "") misses++;
      else {
        times.push(elapsed);
        similarities.push(match.similarity);
      }
    }
    return times;
  };
  const hitTimes = await cacheHits(store);
  const hitTimesPerQuery = await cacheHits(perQueryStore);

  const memoryTimes: number[] = [];
  for (let sample = 0; sample < QUERIES + 20; sample++) {
    const about = pick(memoryRows);
    const started = performance.now();
    await store.nearestMemories({
      owner: "key-alpha",
      conversationId: "conv-long",
      embeddingModel: MODEL,
      embedding: fakeEmbedding(paraphrase(about.content, topics[about.topic] as string[]), DIMENSIONS),
      k: 4,
    });
    if (sample >= 20) memoryTimes.push(performance.now() - started);
  }

  printTable(
    ["query", "p50 ms", "p95 ms", "samples"],
    [
      ["semantic-cache hit (lookup + answer shaping)", ...timings(hitTimes)],
      ["  same, ef_search set per query (VECTOR_EF_SEARCH)", ...timings(hitTimesPerQuery)],
      ["memory recall, k=4, conversation of 500 turns", ...timings(memoryTimes)],
    ],
    `${ROWS.toLocaleString("en")} vectors, ${DIMENSIONS} dimensions, client → PGlite over the socket (${misses} paraphrases missed the 0.8 threshold)`,
  );

  // recall@5: HNSW (the store's query shape: owner + scope filter, iterative scan) against exact search.
  const queries = Array.from({ length: QUERIES }, () => {
    const stored = pick(cacheRows);
    return { stored, vector: vectorText(paraphrase(stored.content, topics[stored.topic] as string[])) };
  });
  const nearest = (ef: number | "exact", vector: string, owner: string, scope: string) =>
    admin.begin(async (tx) => {
      if (ef === "exact") await tx`set local enable_indexscan = off`;
      else await tx`select set_config('hnsw.ef_search', ${String(ef)}, true)`;
      await tx`set local hnsw.iterative_scan = strict_order`;
      const rows = await tx.unsafe(
        `select message_id from nn_vectors
         where kind = 'cache' and owner = $2 and cache_scope = $3 and dimensions = ${DIMENSIONS} and expires_at > now()
         order by embedding::vector(${DIMENSIONS}) <=> $1::vector(${DIMENSIONS}) limit 5`,
        [vector, owner, scope],
      );
      return rows.map((row) => String(row.message_id));
    });
  const exact = await Promise.all(
    queries.map(({ stored, vector }) => nearest("exact", vector, stored.owner, stored.cache_scope)),
  );
  const recallRows: string[][] = [];
  for (const ef of EF_SEARCH_VALUES) {
    let found = 0;
    const times: number[] = [];
    for (const [position, { stored, vector }] of queries.entries()) {
      const started = performance.now();
      const approximate = await nearest(ef, vector, stored.owner, stored.cache_scope);
      times.push(performance.now() - started);
      const truth = new Set(exact[position]);
      found += approximate.filter((id) => truth.has(id)).length;
    }
    recallRows.push([
      String(ef),
      fixed(found / (queries.length * 5), 3),
      fixed(
        percentile(
          [...times].sort((a, b) => a - b),
          0.5,
        ),
        2,
      ),
    ]);
  }
  printTable(
    ["hnsw.ef_search", "recall@5", "p50 ms"],
    recallRows,
    `recall@5 against exact search, owner + scope filter (~${Math.round(ROWS / OWNERS.length / SCOPES.length).toLocaleString("en")} candidates each), ${QUERIES} queries; the database default is ef_search 200`,
  );
  console.log(
    `similarity of the hits: p50 ${fixed(
      percentile(
        [...similarities].sort((a, b) => a - b),
        0.5,
      ),
      3,
    )}`,
  );
} finally {
  await store.close();
  await perQueryStore.close();
  await admin.end();
  await server.stop();
}
