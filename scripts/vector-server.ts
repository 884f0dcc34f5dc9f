/**
 * `npm run vector:server`: a local Postgres with pgvector for development and tests, without Docker —
 * PGlite (Postgres compiled to WebAssembly) with its `vector` extension, served over the Postgres wire
 * protocol on 127.0.0.1, so the worker reaches it exactly as it reaches a real Postgres (wrangler's
 * Hyperdrive `localConnectionString` points at it).
 *
 * Flags: `--port` (default 5433), `--host` (default 127.0.0.1), `--data <folder>` (default: in
 * memory, gone when the process ends), `--migrate` (apply migrations/ once listening).
 * Prints `vector store listening on postgres://…` when ready.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { applyMigrations } from "./migrations.ts";

export interface VectorServerOptions {
  port: number;
  host?: string;
  /** A folder to keep the database in; in memory when absent. */
  dataDir?: string;
  /** Connections served at once (PGlite runs one query at a time; the rest queue). */
  maxConnections?: number;
}

export interface VectorServer {
  /** `postgres://postgres:postgres@host:port/postgres` (PGlite accepts any user and password). */
  url: string;
  close(): Promise<void>;
}

/** Starts PGlite with pgvector behind a Postgres wire-protocol socket. */
export async function startVectorServer({
  port,
  host = "127.0.0.1",
  dataDir,
  maxConnections = 8,
}: VectorServerOptions): Promise<VectorServer> {
  const db = await PGlite.create(dataDir ?? "memory://", { extensions: { vector } });
  // PGlite is one Postgres session shared by every client: give it the search settings the
  // migration stores on the database for new sessions of a real Postgres.
  await db.exec("set hnsw.ef_search = 200; set hnsw.iterative_scan = strict_order");
  const server = new PGLiteSocketServer({ db, port, host, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "5433" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      migrate: { type: "boolean", default: false },
    },
  });
  const server = await startVectorServer({
    port: Number(values.port),
    host: values.host,
    dataDir: values.data,
  });
  if (values.migrate) await applyMigrations(server.url);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(`vector store listening on ${server.url}`);
}
