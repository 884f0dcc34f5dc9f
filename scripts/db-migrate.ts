/**
 * `npm run db:migrate`: applies migrations/*.sql, in name order, to the vector database. Each file runs
 * once, in a transaction, and is recorded in `nn_migrations`; running it again changes nothing.
 *
 * The database: `--database-url postgres://…`, else `VECTOR_DATABASE_URL`, else the local store that
 * `npm run dev` and `npm run vector:server` start (postgres://postgres:postgres@127.0.0.1:5433/postgres).
 */
import { parseArgs } from "node:util";
import { applyMigrations, LOCAL_VECTOR_DATABASE_URL } from "./migrations.ts";

const { values } = parseArgs({ options: { "database-url": { type: "string" } } });
const url = values["database-url"] ?? process.env.VECTOR_DATABASE_URL ?? LOCAL_VECTOR_DATABASE_URL;
const applied = await applyMigrations(url);
console.log(
  applied.length ? `Applied ${applied.join(", ")}.` : "Nothing to apply: the database is up to date.",
);
