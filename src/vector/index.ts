export { createPostgresVectorStore, type PostgresVectorStoreOptions } from "./postgres-store";
export * from "./types";
