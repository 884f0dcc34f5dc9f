-- Conversation memory and the semantic cache: one row per stored exchange, with its embedding.
-- Applied by `npm run db:migrate`; every statement is safe to run again.

create extension if not exists vector;

create table if not exists nn_vectors (
  -- 'memory': an exchange of a conversation, recalled into later turns and searched;
  -- 'cache': a stateless question with the answer given to it, reused for a near-identical question.
  kind text not null check (kind in ('memory', 'cache')),
  message_id text not null,
  conversation_id text not null,
  -- The API key name that asked (the owner); reads always filter by it.
  owner text not null,
  -- For 'cache' rows: a hash of provider, model and settings; an answer is only reused under the same one.
  cache_scope text,
  -- Vectors of different models (or lengths) are never compared.
  embedding_model text not null,
  dimensions integer not null check (dimensions > 0),
  -- The text that was embedded, and what a match hands back (turns for memory, the answer for the cache).
  content text not null,
  payload jsonb not null,
  embedding vector not null check (vector_dims(embedding) = dimensions),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (kind, message_id)
);

create index if not exists nn_vectors_conversation on nn_vectors (owner, conversation_id, kind);
create index if not exists nn_vectors_cache_scope on nn_vectors (owner, cache_scope) where kind = 'cache';
create index if not exists nn_vectors_expires_at on nn_vectors (expires_at);

-- HNSW needs a fixed length: one partial index per common embedding length
-- (384: all-MiniLM, bge-small; 768: nomic-embed-text, bge-base; 1024: mxbai-embed-large, bge-large;
-- 1536: text-embedding-3-small). Queries name the same expression and predicate.
create index if not exists nn_vectors_hnsw_384 on nn_vectors
  using hnsw ((embedding::vector(384)) vector_cosine_ops) where dimensions = 384;
create index if not exists nn_vectors_hnsw_768 on nn_vectors
  using hnsw ((embedding::vector(768)) vector_cosine_ops) where dimensions = 768;
create index if not exists nn_vectors_hnsw_1024 on nn_vectors
  using hnsw ((embedding::vector(1024)) vector_cosine_ops) where dimensions = 1024;
create index if not exists nn_vectors_hnsw_1536 on nn_vectors
  using hnsw ((embedding::vector(1536)) vector_cosine_ops) where dimensions = 1536;

-- Search settings for every new session of this database: a wider HNSW candidate list than the
-- default 40 (recall@5 ≥ 0.95, see `npm run bench:vector`), and iterative scans, so a search filtered
-- by owner and conversation or scope still finds k rows. Needs the database's owner; without that
-- right, set VECTOR_EF_SEARCH and the store sets both per query instead.
do $$
begin
  execute format('alter database %I set hnsw.ef_search = 200', current_database());
  execute format('alter database %I set hnsw.iterative_scan = strict_order', current_database());
exception when insufficient_privilege then
  raise notice 'search settings not stored on the database: set VECTOR_EF_SEARCH for the worker';
end
$$;
